import assert from 'node:assert/strict';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import type { ReceivedRequest } from '../helpers/receiver';

/**
 * A receiver's verifier written from the Standard Webhooks specification alone (asymmetric
 * signatures): `webhook-signature` holds space-separated `v1a,<base64>` Ed25519 signatures of
 * `{webhook-id}.{webhook-timestamp}.{body}`; a request is genuine when one verifies with the
 * public key (`whpk_` + base64 of its 32 raw bytes). No Herald code is used here.
 */
function verifiesWith(publicKey: string | JsonWebKey, request: ReceivedRequest): boolean {
  const jwk: JsonWebKey = typeof publicKey === 'string' ? { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64').toString('base64url') } : publicKey;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const content = Buffer.from(`${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`);
  return String(request.headers['webhook-signature'])
    .split(' ')
    .filter((s) => s.startsWith('v1a,'))
    .some((s) => verify(null, content, key, Buffer.from(s.slice(4), 'base64')));
}

describe('Ed25519 signatures (standard-webhooks-ed25519)', () => {
  const harness = useStack();
  let tenantId: string;
  let endpointId: string;
  let hook: Awaited<ReturnType<typeof harness.receiver>>;

  before(async () => {
    hook = await harness.receiver();
    const created = await createTenantWithEndpoint(harness.stack, hook.url, { signature: { scheme: 'standard-webhooks-ed25519' } });
    tenantId = created.tenantId;
    endpointId = created.endpoint.id;
  });

  it('signs deliveries that verify with the endpoint public key and fail with any other', async () => {
    const { stack } = harness;
    const keys = (await stack.api('GET', `/v1/endpoints/${endpointId}/public-key`)).body;
    assert.match(keys.public_key, /^whpk_[A-Za-z0-9+/]{43}=$/);
    assert.equal(keys.jwk.kty, 'OKP');
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    const [request] = hook.requests;
    assert.match(String(request!.headers['webhook-signature']), /^v1a,[A-Za-z0-9+/]{86}==$/);
    assert.ok(verifiesWith(keys.public_key, request!));
    assert.ok(verifiesWith(keys.jwk, request!));
    assert.ok(!verifiesWith(keys.public_key, { ...request!, body: request!.body.replace('d_1', 'd_2') }), 'a changed body must not verify');
    const other = await createTenantWithEndpoint(stack, hook.url, { signature: { scheme: 'standard-webhooks-ed25519' } });
    const otherKey = (await stack.api('GET', `/v1/endpoints/${other.endpoint.id}/public-key`)).body.public_key;
    assert.ok(!verifiesWith(otherKey, request!));
  });

  it('lists the tenant keys JWKS-style, keeps the private key encrypted and never shows it', async () => {
    const { stack } = harness;
    const jwks = (await stack.api('GET', `/v1/public-keys?tenant_id=${tenantId}`)).body;
    const key = (await stack.api('GET', `/v1/endpoints/${endpointId}/public-key`)).body.jwk;
    assert.deepEqual(jwks.keys.map((k: { kid: string; endpoint_id: string }) => [k.kid, k.endpoint_id]), [[key.kid, endpointId]]);
    const secret = await stack.api('GET', `/v1/endpoints/${endpointId}/secret`);
    assert.equal(secret.status, 409);
    const { rows } = await stack.pool.query('SELECT secret_encrypted FROM endpoint_secrets WHERE endpoint_id = $1', [endpointId]);
    assert.ok(rows.every((r) => !r.secret_encrypted.includes('whsk_')));
  });

  it('rotates with an overlap: during the grace period both keys sign, so receivers on either verify', async () => {
    const { stack } = harness;
    const before = (await stack.api('GET', `/v1/endpoints/${endpointId}/public-key`)).body.public_key;
    const rotated = await stack.api('POST', `/v1/endpoints/${endpointId}/secret/rotate`, { grace_period: '1h' });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.public_key, before);
    assert.deepEqual(rotated.body.previous.map((p: { public_key: string }) => p.public_key), [before]);
    assert.ok(rotated.body.previous[0].expires_at);

    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    const request = hook.requests.find((r) => r.headers['webhook-id'] === deliveries[0]!.id)!;
    assert.equal(String(request.headers['webhook-signature']).split(' ').length, 2);
    assert.ok(verifiesWith(rotated.body.public_key, request));
    assert.ok(verifiesWith(before, request));
    assert.equal((await stack.api('GET', `/v1/public-keys?tenant_id=${tenantId}`)).body.keys.length, 2);
  });

  it('takes a key the platform brings and refuses one that is not an Ed25519 key', async () => {
    const { stack } = harness;
    const seed = Buffer.alloc(32, 0x2a).toString('base64');
    const brought = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: hook.url, event_types: ['*'], verify: false, signature: { scheme: 'standard-webhooks-ed25519' }, secret: `whsk_${seed}` });
    assert.equal(brought.status, 201);
    const { public_key: publicKey } = (await stack.api('GET', `/v1/endpoints/${brought.body.id}/public-key`)).body;
    // The public key of that seed, computed by the verifier's own means.
    const expected = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: 'GX9rI-FshTLGq8g4-s1ep4m-DHaykgM0A5v6iz02jWE' }, format: 'jwk' });
    assert.equal(publicKey, `whpk_${Buffer.from(expected.export({ format: 'jwk' }).x!, 'base64url').toString('base64')}`);
    const refused = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: hook.url, event_types: ['*'], signature: { scheme: 'standard-webhooks-ed25519' }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.errors[0].path, 'secret');
  });

  it('switches an HMAC endpoint to Ed25519 with a fresh key pair', async () => {
    const { stack } = harness;
    const hmac = await createTenantWithEndpoint(stack, hook.url);
    assert.equal((await stack.api('GET', `/v1/endpoints/${hmac.endpoint.id}/public-key`)).status, 409);
    const switched = await stack.api('PATCH', `/v1/endpoints/${hmac.endpoint.id}`, { signature: { scheme: 'standard-webhooks-ed25519' } });
    assert.equal(switched.status, 200);
    const keys = (await stack.api('GET', `/v1/endpoints/${hmac.endpoint.id}/public-key`)).body;
    assert.deepEqual(keys.previous, [], 'an HMAC secret cannot verify Ed25519 signatures, so none is kept');
    const { deliveries } = await publish(stack, hmac.tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.ok(verifiesWith(keys.public_key, hook.requests.find((r) => r.headers['webhook-id'] === deliveries[0]!.id)!));
  });
});
