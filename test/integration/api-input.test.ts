import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

const count = async (stack: Stack, table: string) => Number((await stack.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

describe('the API refuses bad input', () => {
  let stack: Stack;
  let receiver: Receiver;
  let tenantId: string;
  before(async () => {
    stack = await startStack({ HERALD_ALLOW_PRIVATE_TARGETS: 'false' });
    receiver = await startReceiver();
    tenantId = (await stack.api('POST', '/v1/tenants', { name: 'Acme', alert_email: 'ops@acme.example' })).body.id;
  });
  after(async () => {
    await receiver.close();
    await stack.stop();
  });

  it('answers 401 without a key or with a wrong one', async () => {
    const wrong = await stack.api('GET', '/v1/tenants', undefined, { key: 'not-the-key' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('content-type'), 'application/problem+json');
    const none = await fetch(`${stack.baseUrl}/v1/tenants`);
    assert.equal(none.status, 401);
  });

  it('answers 400 to malformed JSON and stores nothing', async () => {
    const res = await stack.api('POST', '/v1/endpoints', undefined, { raw: '{"url": "https://hooks.example.com/x",' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].path, '');
    assert.match(res.body.errors[0].message, /malformed JSON/);
    assert.equal(await count(stack, 'endpoints'), 0);
  });

  it('names every missing field with its path', async () => {
    const res = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId });
    assert.equal(res.status, 422);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['event_types', 'url']);
  });

  it('refuses an unknown retry preset at retry.preset', async () => {
    const res = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: 'https://hooks.example.com/x', event_types: ['*'], retry: { preset: 'forever' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].path, 'retry.preset');
    assert.equal(await count(stack, 'endpoints'), 0);
  });

  it('refuses private-IP and loopback URLs in secure mode', async () => {
    for (const url of ['https://10.0.0.8/hook', 'https://169.254.169.254/latest', 'https://localhost/hook', receiver.url]) {
      const res = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url, event_types: ['*'], verify: false });
      assert.equal(res.status, 422, url);
      assert.equal(res.body.errors[0].path, 'url', url);
    }
    assert.equal(await count(stack, 'endpoints'), 0);
  });

  it('refuses a custom header that would override the signature', async () => {
    const res = await stack.api('POST', '/v1/endpoints', {
      tenant_id: tenantId,
      url: 'https://hooks.example.com/x',
      event_types: ['*'],
      headers: { 'Webhook-Signature': 'forged' },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].path, 'headers.Webhook-Signature');
  });

  it('refuses unknown fields and an unknown tenant', async () => {
    const unknown = await stack.api('POST', '/v1/tenants', { name: 'X', alert_email: 'x@x.example', plan: 'gold' });
    assert.equal(unknown.status, 422);
    const noTenant = await stack.api('POST', '/v1/events', { tenant_id: 'tnt_00000000000000000000000000', type: 'a.b', data: {} });
    assert.equal(noTenant.status, 422);
    assert.equal(noTenant.body.errors[0].path, 'tenant_id');
    assert.equal(await count(stack, 'events'), 0);
  });

  it('refuses an event body over 256 KB with 413', async () => {
    const res = await stack.api('POST', '/v1/events', { tenant_id: tenantId, type: 'a.b', data: { blob: 'x'.repeat(300 * 1024) } });
    assert.equal(res.status, 413);
    assert.equal(await count(stack, 'events'), 0);
  });

  it('describes itself at /openapi.json and /docs without a key', async () => {
    const spec = (await stack.api('GET', '/openapi.json', undefined, { key: 'ignored-here' })).body;
    assert.equal(spec.openapi, '3.0.3');
    assert.ok(spec.paths['/v1/endpoints'].post.requestBody.content['application/json'].schema.properties.retry);
    assert.ok(spec.paths['/v1/deliveries/{id}/retry'].post);
    const page = await fetch(`${stack.baseUrl}/docs`);
    assert.match(await page.text(), /SwaggerUIBundle/);
    assert.equal((await fetch(`${stack.baseUrl}/docs/swagger-ui-bundle.js`)).status, 200);
  });

  it('answers 404 as problem+json for unknown resources', async () => {
    const res = await stack.api('GET', '/v1/endpoints/ep_00000000000000000000000000');
    assert.equal(res.status, 404);
    assert.equal(res.body.status, 404);
  });
});
