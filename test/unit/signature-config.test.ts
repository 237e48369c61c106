import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTECTED_HEADERS, signatureConfigSchema } from '../../domain/signature-config';

function issues(input: unknown): Array<{ path: string; message: string }> {
  const result = signatureConfigSchema.safeParse(input);
  assert.equal(result.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

test('no signature settings means standard-webhooks', () => {
  assert.deepEqual(signatureConfigSchema.parse(undefined), { scheme: 'standard-webhooks' });
});

test('hmac-sha256 defaults to a hex X-Signature header without prefix or timestamp', () => {
  assert.deepEqual(signatureConfigSchema.parse({ scheme: 'hmac-sha256' }), {
    scheme: 'hmac-sha256',
    header: 'X-Signature',
    prefix: '',
    encoding: 'hex',
    sign_timestamp: false,
  });
});

test('stripe defaults to the Stripe-Signature header', () => {
  assert.deepEqual(signatureConfigSchema.parse({ scheme: 'stripe' }), { scheme: 'stripe', header: 'Stripe-Signature' });
});

test('the full hmac-sha256 wire format of the README is accepted as given', () => {
  const config = {
    scheme: 'hmac-sha256',
    header: 'X-Hub-Signature-256',
    prefix: 'sha256=',
    encoding: 'base64',
    event_header: 'X-Event',
    timestamp_header: 'X-Timestamp',
    sign_timestamp: true,
  };
  assert.deepEqual(signatureConfigSchema.parse(config), config);
});

test('unknown fields are refused, in every scheme', () => {
  assert.deepEqual(issues({ scheme: 'standard-webhooks', header: 'X-Sig' })[0]?.path, '');
  assert.match(issues({ scheme: 'hmac-sha256', algorithm: 'sha1' })[0]?.message ?? '', /algorithm/);
  assert.match(issues({ scheme: 'stripe', tolerance: 300 })[0]?.message ?? '', /tolerance/);
});

test('an unknown or missing scheme is refused on the scheme path', () => {
  assert.equal(issues({ scheme: 'ed25519' })[0]?.path, 'scheme');
  assert.equal(issues({})[0]?.path, 'scheme');
});

test('a protected header is refused, whatever its case, with the path of the field', () => {
  assert.deepEqual(issues({ scheme: 'hmac-sha256', header: 'Webhook-Signature' }), [
    { path: 'header', message: 'is a header Herald sets itself' },
  ]);
  assert.equal(issues({ scheme: 'hmac-sha256', event_header: 'herald-event-type' })[0]?.path, 'event_header');
  assert.equal(issues({ scheme: 'hmac-sha256', timestamp_header: 'WEBHOOK-TIMESTAMP' })[0]?.path, 'timestamp_header');
  assert.equal(issues({ scheme: 'stripe', header: 'content-type' })[0]?.path, 'header');
});

test('protected headers are listed in lowercase', () => {
  assert.ok(PROTECTED_HEADERS.includes('webhook-signature'));
  assert.ok(PROTECTED_HEADERS.every((name) => name === name.toLowerCase()));
});

test('header names must be HTTP tokens', () => {
  for (const header of ['', 'X Signature', 'X-Sig:', 'X-Sïg', 'X-Sig\r\nInjected: 1']) {
    assert.equal(issues({ scheme: 'hmac-sha256', header })[0]?.path, 'header', JSON.stringify(header));
  }
});

test('sign_timestamp without a timestamp header is refused on timestamp_header', () => {
  assert.deepEqual(issues({ scheme: 'hmac-sha256', sign_timestamp: true }).map((i) => i.path), ['timestamp_header']);
});

test('one header name cannot serve two roles', () => {
  assert.equal(issues({ scheme: 'hmac-sha256', header: 'X-Sig', event_header: 'x-sig' })[0]?.path, 'event_header');
  assert.equal(
    issues({ scheme: 'hmac-sha256', event_header: 'X-Meta', timestamp_header: 'X-META' })[0]?.path,
    'timestamp_header',
  );
});

test('the encoding is hex or base64 only', () => {
  assert.equal(issues({ scheme: 'hmac-sha256', encoding: 'base64url' })[0]?.path, 'encoding');
});

test('a prefix with spaces or control characters is refused', () => {
  assert.equal(issues({ scheme: 'hmac-sha256', prefix: 'sha256 = ' })[0]?.path, 'prefix');
});
