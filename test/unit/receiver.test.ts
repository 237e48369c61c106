import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { parsePublicKey, parseSecret, startWebhookReceiver, verifyStandardWebhook, type VerificationKeys } from '../../dev/receiver';

// dev/receiver.ts verifies Standard Webhooks signatures with node:crypto alone; these check it
// against the specification's published vector, the specification's own library, and Ed25519 keys
// made here.

interface Vector {
  name: string;
  input: { config?: { scheme: string }; secrets: string[]; deliveryId: string; timestamp: number; body: string };
  expected: Record<string, string>;
}
const vectors = (JSON.parse(readFileSync(path.join(__dirname, '../fixtures/signing-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors.filter(
  (v) => (v.input.config?.scheme ?? 'standard-webhooks') === 'standard-webhooks',
);

const hmac = (...secrets: string[]): VerificationKeys => ({ secrets: secrets.map(parseSecret), publicKeys: [] });

function ed25519() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { whpk: `whpk_${Buffer.from(x, 'base64url').toString('base64')}`, sign: (content: string) => sign(null, Buffer.from(content), privateKey).toString('base64') };
}

describe('the local receiver', () => {
  it('verifies the specification vectors, each secret of a rotation on its own', () => {
    assert.ok(vectors.length >= 2);
    for (const v of vectors) {
      const headers = { 'webhook-id': v.input.deliveryId, 'webhook-timestamp': String(v.input.timestamp), 'webhook-signature': v.expected['webhook-signature']! };
      const now = v.input.timestamp * 1000;
      for (const secret of v.input.secrets) assert.deepEqual(verifyStandardWebhook(headers, v.input.body, hmac(secret), now), { ok: true, version: 'v1' }, v.name);
      assert.equal(verifyStandardWebhook(headers, `${v.input.body} `, hmac(...v.input.secrets), now).ok, false, `${v.name}: a changed body`);
    }
  });

  it('agrees with the standardwebhooks library, and refuses a wrong secret, a stale time or missing headers', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const body = JSON.stringify({ type: 'design.exported', data: { design_id: 'd_1' } });
    const at = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', at, body) };
    assert.deepEqual(verifyStandardWebhook(headers, body, hmac(secret)), { ok: true, version: 'v1' });
    assert.ok(verifyStandardWebhook(headers, body, hmac(secret.slice('whsec_'.length))).ok, 'the prefix is optional');
    assert.match(String((verifyStandardWebhook(headers, body, hmac(`whsec_${randomBytes(32).toString('base64')}`)) as { reason: string }).reason), /no signature/);
    assert.match(String((verifyStandardWebhook(headers, body, hmac(secret), at.getTime() + 6 * 60_000) as { reason: string }).reason), /away from now/);
    assert.match(String((verifyStandardWebhook({ ...headers, 'webhook-signature': undefined }, body, hmac(secret)) as { reason: string }).reason), /missing/);
    assert.throws(() => parseSecret('whsec_not base64!'), /base64/);
  });

  it('verifies v1a Ed25519 signatures with a whpk_ public key, among several signatures', () => {
    const current = ed25519();
    const previous = ed25519();
    const ts = String(Math.floor(Date.now() / 1000));
    const body = '{"id":"evt_1"}';
    const content = `msg_2.${ts}.${body}`;
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': ts, 'webhook-signature': `v1a,${current.sign(content)} v1a,${previous.sign(content)}` };
    assert.deepEqual(verifyStandardWebhook(headers, body, { secrets: [], publicKeys: [parsePublicKey(previous.whpk)] }), { ok: true, version: 'v1a' });
    assert.equal(verifyStandardWebhook(headers, body, { secrets: [], publicKeys: [parsePublicKey(ed25519().whpk)] }).ok, false);
    assert.equal(verifyStandardWebhook(headers, '{"id":"evt_2"}', { secrets: [], publicKeys: [parsePublicKey(current.whpk)] }).ok, false);
    assert.throws(() => parsePublicKey('whsec_abc'), /whpk_/);
  });

  it('answers 200 and prints "signature OK" for a valid request, 401 and "signature INVALID" otherwise', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const lines: string[] = [];
    const receiver = await startWebhookReceiver({ port: 0, secret, log: (line) => lines.push(line) });
    try {
      const body = JSON.stringify({ type: 'design.exported', data: { design_id: 'd_7' } });
      const at = new Date();
      const signed = { 'webhook-id': 'msg_3', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_3', at, body), 'herald-event-type': 'design.exported', 'herald-delivery-id': 'dlv_x' };
      const ok = await fetch(receiver.url, { method: 'POST', headers: signed, body });
      assert.equal(ok.status, 200);
      assert.match(lines.at(-1)!, /design\.exported dlv_x\n {2}signature OK \(v1\)\n[\s\S]*"design_id": "d_7"/);
      const forged = await fetch(receiver.url, { method: 'POST', headers: signed, body: body.replace('d_7', 'd_8') });
      assert.equal(forged.status, 401);
      assert.match(lines.at(-1)!, /signature INVALID: no signature/);
    } finally {
      await receiver.close();
    }

    const open = await startWebhookReceiver({ port: 0, log: (line) => lines.push(line) });
    try {
      assert.equal((await fetch(open.url, { method: 'POST', body: '{}' })).status, 200);
      assert.match(lines.at(-1)!, /signature NOT CHECKED/);
    } finally {
      await open.close();
    }
  });
});
