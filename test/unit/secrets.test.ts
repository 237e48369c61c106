import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { publicKeyOf } from '../../domain/ed25519-keys';
import { generateSecret, hmacKeyFor, parseGivenSecret } from '../../domain/secrets';

const base64Of = (bytes: number): string => Buffer.alloc(bytes, 5).toString('base64');

test('a generated secret is whsec_ and base64 of 32 random bytes', () => {
  const secret = generateSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32);
  assert.notEqual(generateSecret(), secret);
});

test('a generated secret is accepted when given back', () => {
  const secret = generateSecret();
  assert.deepEqual(parseGivenSecret(secret), { ok: true, secret });
});

test('whsec_ secrets of 24 to 64 bytes are accepted exactly as given, with or without padding', () => {
  for (const secret of [
    'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    `whsec_${base64Of(64)}`,
    `whsec_${base64Of(32).replace(/=+$/, '')}`,
  ]) {
    assert.deepEqual(parseGivenSecret(secret), { ok: true, secret });
  }
});

test('whsec_ secrets that are too short, too long or not base64 are refused', () => {
  for (const secret of [`whsec_${base64Of(23)}`, `whsec_${base64Of(65)}`, 'whsec_not base64 at all!!!!!!!!!!!!!', 'whsec_']) {
    const result = parseGivenSecret(secret);
    assert.equal(result.ok, false, secret);
  }
});

test('raw base64 (RFC 2045) of 24 to 64 bytes is accepted', () => {
  for (const secret of [base64Of(24), base64Of(33), base64Of(64)]) {
    assert.deepEqual(parseGivenSecret(secret), { ok: true, secret });
  }
});

test('raw base64 that is unpadded, url-safe, wrapped or the wrong size is refused', () => {
  for (const secret of [base64Of(20), base64Of(70), base64Of(32).replace(/=$/, ''), `${base64Of(24)}\n`, '-_' + base64Of(24).slice(2)]) {
    assert.equal(parseGivenSecret(secret).ok, false, JSON.stringify(secret));
  }
});

test('a 64-character base64 or hex key is accepted as given for standard-webhooks', () => {
  for (const secret of ['ab12'.repeat(16), 'Zz9+/'.repeat(12) + 'abcd']) {
    assert.deepEqual(parseGivenSecret(secret), { ok: true, secret });
  }
});

test('a 64-character key with - or _ is refused for standard-webhooks, whose receivers base64-decode it', () => {
  assert.equal(parseGivenSecret('Zz9_-'.repeat(12) + 'abcd').ok, false);
});

test('hmac-sha256 and stripe accept any printable secret of 8 to 256 characters, as customers already hold it', () => {
  for (const scheme of ['hmac-sha256', 'stripe'] as const) {
    for (const secret of ['your-webhook-secret', 'Zz9_-'.repeat(12) + 'abcd', 'hunter22']) {
      assert.deepEqual(parseGivenSecret(secret, scheme), { ok: true, secret });
    }
    for (const secret of ['short', 'has a space', 'x'.repeat(257), 'tab\there']) assert.equal(parseGivenSecret(secret, scheme).ok, false, secret);
  }
});

test('keys of other lengths or characters are refused with a message naming the accepted forms', () => {
  for (const secret of ['ab1'.repeat(21), 'ab12'.repeat(16) + 'a', '!'.repeat(64), '', 'hunter2']) {
    const result = parseGivenSecret(secret);
    assert.equal(result.ok, false, secret);
    if (!result.ok) assert.match(result.message, /whsec_.*64-character base64 key/);
  }
});

test('the standard-webhooks key is the base64-decoded bytes after an optional whsec_', () => {
  const key = Buffer.alloc(32, 1);
  assert.deepEqual(hmacKeyFor('standard-webhooks', `whsec_${key.toString('base64')}`), key);
  assert.deepEqual(hmacKeyFor('standard-webhooks', key.toString('base64')), key);
});

test('the standard-webhooks key matches what the standardwebhooks library derives', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  // The library keeps the key private; its signature shows which key it used.
  const librarySignature = new Webhook(secret).sign('msg_1', new Date(1700000000000), '{}');
  const ours = createHmac('sha256', hmacKeyFor('standard-webhooks', secret)).update('msg_1.1700000000.{}').digest('base64');
  assert.equal(librarySignature, `v1,${ours}`);
});

test('the hmac-sha256 and stripe keys are the secret string’s own UTF-8 bytes', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  assert.deepEqual(hmacKeyFor('hmac-sha256', secret), Buffer.from(secret, 'utf8'));
  assert.deepEqual(hmacKeyFor('stripe', secret), Buffer.from(secret, 'utf8'));
});

test('a standard-webhooks key cannot be derived from a secret that is not base64', () => {
  assert.throws(() => hmacKeyFor('standard-webhooks', 'Zz9_-'.repeat(12) + 'abcd'), /not base64/);
  assert.throws(() => hmacKeyFor('standard-webhooks', 'whsec_'), /not base64/);
});

test('an Ed25519 signing key is generated as whsk_ and a 32-byte seed, and its public key is whpk_', () => {
  const secret = generateSecret('standard-webhooks-ed25519');
  assert.match(secret, /^whsk_[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(parseGivenSecret(secret, 'standard-webhooks-ed25519'), { ok: true, secret });
  assert.match(publicKeyOf(secret), /^whpk_[A-Za-z0-9+/]{43}=$/);
});

test('a given Ed25519 key is accepted as a seed or as seed and matching public key, and nothing else', () => {
  const seed = Buffer.alloc(32, 0x2a);
  const pub = Buffer.from(publicKeyOf(`whsk_${seed.toString('base64')}`).slice(5), 'base64');
  assert.equal(parseGivenSecret(`whsk_${Buffer.concat([seed, pub]).toString('base64')}`, 'standard-webhooks-ed25519').ok, true);
  for (const secret of [`whsk_${Buffer.concat([seed, Buffer.alloc(32)]).toString('base64')}`, `whsk_${Buffer.alloc(31).toString('base64')}`, generateSecret(), 'whsk_!!!']) {
    assert.equal(parseGivenSecret(secret, 'standard-webhooks-ed25519').ok, false, secret);
  }
  assert.equal(parseGivenSecret(generateSecret('standard-webhooks-ed25519'), 'standard-webhooks').ok, false, 'an Ed25519 key is no HMAC secret');
});
