import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import fixture from '../fixtures/signing-vectors.json';
import { signatureConfigSchema } from '../../domain/signature-config';
import { signatureHeaders, type SigningInput } from '../../domain/signing';

const now = (): number => Math.floor(Date.now() / 1000);
const body = '{"id":"evt_1","type":"design.exported","timestamp":"2026-01-15T10:00:00Z","data":{"designId":"d_1"}}';
const oldSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const newSecret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

function input(config: unknown, secrets: string[], timestamp = now()): SigningInput {
  return { config: signatureConfigSchema.parse(config), secrets, deliveryId: 'dlv_1', eventType: 'design.exported', timestamp, body };
}

const hmacHex = (key: string, content: string): string => createHmac('sha256', key).update(content).digest('hex');

for (const vector of fixture.vectors) {
  test(`signs the fixed vector: ${vector.name}`, () => {
    const { config, ...rest } = vector.input;
    const headers = signatureHeaders({ ...rest, config: signatureConfigSchema.parse(config) });
    assert.deepEqual(headers, vector.expected);
  });
}

test('the standardwebhooks library verifies a standard-webhooks delivery', () => {
  const headers = signatureHeaders(input(undefined, [newSecret]));
  assert.deepEqual(new Webhook(newSecret).verify(body, headers), JSON.parse(body));
});

test('during rotation the standardwebhooks library verifies with the new and with the old secret', () => {
  const headers = signatureHeaders(input({ scheme: 'standard-webhooks' }, [newSecret, oldSecret]));
  assert.equal(headers['webhook-signature']?.split(' ').length, 2);
  assert.doesNotThrow(() => new Webhook(newSecret).verify(body, headers));
  assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, headers));
  assert.throws(() => new Webhook('whsec_' + Buffer.alloc(32, 9).toString('base64')).verify(body, headers));
});

test('the standardwebhooks library verifies a secret given as raw base64 without whsec_', () => {
  const raw = Buffer.alloc(24, 3).toString('base64');
  assert.doesNotThrow(() => new Webhook(raw).verify(body, signatureHeaders(input(undefined, [raw]))));
});

test('hmac-sha256 with a sha256= prefix verifies with an HMAC of the raw body keyed by the secret string', () => {
  const config = { scheme: 'hmac-sha256', header: 'X-Hub-Signature-256', prefix: 'sha256=' };
  const headers = signatureHeaders(input(config, ['my-github-secret']));
  assert.deepEqual(headers, { 'X-Hub-Signature-256': `sha256=${hmacHex('my-github-secret', body)}` });
});

test("hmac-sha256 passes the seeds' sample verifiers, which compare the whole header with one digest", () => {
  const secret = 'c2VjcmV0LWZvci10aGUtZmxvd2Ntcy1zZWVkLXRlc3Q=';
  const cms = signatureHeaders(input({ scheme: 'hmac-sha256', header: 'X-FlowCMS-Signature' }, [secret, 'previous']));
  const platform = signatureHeaders(
    input({ scheme: 'hmac-sha256', header: 'X-Platphorm-Signature', prefix: 'sha256=' }, [secret, 'previous']),
  );
  const digest = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
  // The CMS seed's verifier: raw bytes of the header against the hex digest.
  assert.ok(timingSafeEqual(Buffer.from(cms['X-FlowCMS-Signature'] ?? ''), Buffer.from(digest)));
  // The design-platform seed's verifier: strip "sha256=", compare the decoded bytes.
  const received = Buffer.from((platform['X-Platphorm-Signature'] ?? '').replace('sha256=', ''), 'hex');
  assert.ok(timingSafeEqual(received, Buffer.from(digest, 'hex')));
});

test('hmac-sha256 during rotation signs with the current secret only', () => {
  const headers = signatureHeaders(input({ scheme: 'hmac-sha256' }, ['current-secret', 'previous-secret']));
  assert.deepEqual(headers, { 'X-Signature': hmacHex('current-secret', body) });
});

test('hmac-sha256 with sign_timestamp signs "{timestamp}.{body}" and sends the timestamp and event headers', () => {
  const config = { scheme: 'hmac-sha256', encoding: 'base64', timestamp_header: 'X-Timestamp', event_header: 'X-Event', sign_timestamp: true };
  const headers = signatureHeaders(input(config, ['k'], 1700000000));
  assert.deepEqual(headers, {
    'X-Signature': createHmac('sha256', 'k').update(`1700000000.${body}`).digest('base64'),
    'X-Timestamp': '1700000000',
    'X-Event': 'design.exported',
  });
});

test('hmac-sha256 sends a timestamp header without signing it when sign_timestamp is false', () => {
  const headers = signatureHeaders(input({ scheme: 'hmac-sha256', timestamp_header: 'X-Timestamp' }, ['k'], 1700000000));
  assert.deepEqual(headers, { 'X-Signature': hmacHex('k', body), 'X-Timestamp': '1700000000' });
});

test('stripe signs "{t}.{body}" and a Stripe-style verifier accepts the new and the old secret', () => {
  const ts = now();
  const headers = signatureHeaders(input({ scheme: 'stripe' }, [newSecret, oldSecret], ts));
  const parts = (headers['Stripe-Signature'] ?? '').split(',').map((part) => part.split('='));
  assert.deepEqual(parts[0], ['t', String(ts)]);
  const v1 = parts.filter(([key]) => key === 'v1').map(([, value]) => value);
  for (const secret of [newSecret, oldSecret]) assert.ok(v1.includes(hmacHex(secret, `${ts}.${body}`)));
  assert.equal(v1.length, 2);
});

test('stripe uses the configured header name', () => {
  const headers = signatureHeaders(input({ scheme: 'stripe', header: 'X-Acme-Signature' }, ['k'], 1700000000));
  assert.deepEqual(Object.keys(headers), ['X-Acme-Signature']);
});

test('signing refuses an empty secret list and a fractional timestamp', () => {
  assert.throws(() => signatureHeaders(input(undefined, [])), /at least one secret/);
  assert.throws(() => signatureHeaders(input(undefined, [newSecret], 1700000000.5)), /whole unix seconds/);
});

test('standard-webhooks refuses a secret its receivers could not decode', () => {
  assert.throws(() => signatureHeaders(input(undefined, ['a_b-'.repeat(16)])), /not base64/);
});

test('jwt-hs256 sends an HS256 JWT naming the issuer and carrying the SHA-256 of the body', () => {
  const body = '{"event":"build-status-changed"}';
  const headers = signatureHeaders({
    config: { scheme: 'jwt-hs256', header: 'X-Webhook-Signature', issuer: 'chromatic' },
    secrets: ['s3cret-value', 'old-secret'],
    deliveryId: 'dlv_1',
    eventType: 'build-status-changed',
    timestamp: 1700000000,
    body,
  });
  const [head, claims, signature] = headers['X-Webhook-Signature']!.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(head!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
  assert.deepEqual(JSON.parse(Buffer.from(claims!, 'base64url').toString()), {
    iss: 'chromatic',
    iat: 1700000000,
    sha256: createHash('sha256').update(body).digest('hex'),
  });
  assert.equal(signature, createHmac('sha256', 's3cret-value').update(`${head}.${claims}`).digest('base64url'));
});
