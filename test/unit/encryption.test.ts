import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretBox, generateMasterKey } from '../../domain/encryption';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

test('a secret encrypted with a generated master key decrypts to itself', () => {
  const box = createSecretBox(generateMasterKey());
  assert.equal(box.decrypt(box.encrypt(secret)), secret);
  assert.equal(box.decrypt(box.encrypt('')), '');
  assert.equal(box.decrypt(box.encrypt('ünïcødé ✓')), 'ünïcødé ✓');
});

test('a master key given as 64 hex characters works like its base64 form', () => {
  const hex = 'ab'.repeat(32);
  const token = createSecretBox(hex).encrypt(secret);
  assert.equal(createSecretBox(Buffer.from(hex, 'hex').toString('base64')).decrypt(token), secret);
});

test('the token is v1:<iv>:<tag>:<ciphertext> and never contains the secret', () => {
  const token = createSecretBox(generateMasterKey()).encrypt(secret);
  const [version, iv, tag, ciphertext] = token.split(':');
  assert.equal(version, 'v1');
  assert.equal(Buffer.from(iv ?? '', 'base64').length, 12);
  assert.equal(Buffer.from(tag ?? '', 'base64').length, 16);
  assert.equal(Buffer.from(ciphertext ?? '', 'base64').length, Buffer.byteLength(secret));
  assert.ok(!token.includes(secret.slice(6)));
});

test('encrypting the same secret twice gives different tokens (random IV)', () => {
  const box = createSecretBox(generateMasterKey());
  assert.notEqual(box.encrypt(secret), box.encrypt(secret));
});

test('a tampered ciphertext, tag or IV fails authentication', () => {
  const box = createSecretBox(generateMasterKey());
  const parts = box.encrypt(secret).split(':');
  for (const index of [1, 2, 3]) {
    const tampered = [...parts];
    const bytes = Buffer.from(tampered[index] ?? '', 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    tampered[index] = bytes.toString('base64');
    assert.throws(() => box.decrypt(tampered.join(':')), /failed authentication/, `part ${index}`);
  }
});

test('a token from another master key fails authentication', () => {
  const token = createSecretBox(generateMasterKey()).encrypt(secret);
  assert.throws(() => createSecretBox(generateMasterKey()).decrypt(token), /failed authentication/);
});

test('malformed tokens are refused clearly', () => {
  const box = createSecretBox(generateMasterKey());
  const [, iv, tag, ciphertext] = box.encrypt(secret).split(':');
  assert.throws(() => box.decrypt(secret), /unknown format/);
  assert.throws(() => box.decrypt(`v2:${iv}:${tag}:${ciphertext}`), /unknown format/);
  assert.throws(() => box.decrypt(`v1:${iv}:${tag}:${ciphertext}:extra`), /unknown format/);
  assert.throws(() => box.decrypt(`v1:${iv}:${tag}`), /malformed/);
  assert.throws(() => box.decrypt(`v1:${iv}:AAAA:${ciphertext}`), /malformed/);
  assert.throws(() => box.decrypt(`v1:${iv}:${tag}:not*base64`), /malformed/);
});

test('a master key that is not 32 bytes of base64 or hex is refused without echoing it', () => {
  for (const key of ['', 'short', 'ab'.repeat(31), Buffer.alloc(16).toString('base64'), Buffer.alloc(48, 0xff).toString('base64'), 'zz'.repeat(32)]) {
    assert.throws(
      () => createSecretBox(key),
      (error: Error) => /32 bytes/.test(error.message) && (key === '' || !error.message.includes(key)),
      key,
    );
  }
});
