import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually';
import { publish, waitForStatus } from '../helpers/fixtures';
import { respond, startReceiver, type Receiver } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

type Call = { method: string; path: string; body?: unknown };

/**
 * Like stack.api, but reads any answer: a route that is not built yet answers Koa's plain-text
 * 404, which the cross-tenant sweep below accepts too (it becomes a real check once it exists).
 */
async function call(stack: Stack, key: string, { method, path, body }: Call) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

async function createTenant(stack: Stack, name: string): Promise<string> {
  const res = await stack.api('POST', '/v1/tenants', { name, alert_email: `ops@${name.toLowerCase()}.example` });
  assert.equal(res.status, 201);
  return res.body.id;
}

async function createKey(stack: Stack, tenantId: string): Promise<{ id: string; key: string }> {
  const res = await stack.api('POST', `/v1/tenants/${tenantId}/api-keys`);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const countOf = async (stack: Stack, table: string, tenantId: string) =>
  Number((await stack.pool.query(`SELECT count(*) FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].count);

describe('tenant API keys', () => {
  let stack: Stack;
  let hookA: Receiver;
  let hookB: Receiver;
  // Tenant A holds the resources; tenant B's key tries to reach them.
  let tenantA: string;
  let endpointA: string;
  let eventA: string;
  let deliveryA: string;
  let tenantB: string;
  let keyB: string;
  let deliveryB: string;

  before(async () => {
    stack = await startStack();
    // A's receiver fails and its retry waits an hour: retry or cancel by anyone would show.
    hookA = await startReceiver(respond(500));
    hookB = await startReceiver();
    tenantA = await createTenant(stack, 'Nexus');
    const endpoint = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantA, url: hookA.url, event_types: ['*'], verify: false, retry: { delays: ['1h'] } });
    endpointA = endpoint.body.id;
    const published = await publish(stack, tenantA);
    eventA = published.id;
    deliveryA = published.deliveries[0]!.id;
    await waitForStatus(stack, deliveryA, 'retrying');

    tenantB = await createTenant(stack, 'Orbit');
    keyB = (await createKey(stack, tenantB)).key;
  });
  after(async () => {
    await hookA.close();
    await hookB.close();
    await stack.stop();
  });

  it('shows a new key once and stores only its SHA-256 digest', async () => {
    const created = await stack.api('POST', `/v1/tenants/${tenantB}/api-keys`);
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^key_[0-9A-Z]{26}$/);
    assert.match(created.body.key, /^hrd_[0-9A-Za-z]{43}$/);
    assert.equal(created.body.tenant_id, tenantB);
    assert.ok(created.body.created_at);

    const listed = await stack.api('GET', `/v1/tenants/${tenantB}/api-keys`);
    assert.equal(listed.status, 200);
    const entry = listed.body.data.find((k: { id: string }) => k.id === created.body.id);
    assert.deepEqual(Object.keys(entry).sort(), ['created_at', 'id', 'prefix', 'revoked_at', 'tenant_id']);
    assert.equal(entry.prefix, created.body.key.slice(0, 12));
    assert.equal(entry.revoked_at, null);
    assert.ok(!JSON.stringify(listed.body).includes(created.body.key));

    const { rows } = await stack.pool.query('SELECT * FROM api_keys WHERE id = $1', [created.body.id]);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].key_digest, createHash('sha256').update(created.body.key).digest());
    for (const value of Object.values(rows[0])) {
      assert.ok(!String(value).includes(created.body.key.slice(12)), 'the key is stored');
    }
  });

  it('implies its own tenant when creating endpoints and publishing events', async () => {
    const endpoint = await call(stack, keyB, { method: 'POST', path: '/v1/endpoints', body: { url: hookB.url, event_types: ['*'], verify: false } });
    assert.equal(endpoint.status, 201);
    assert.equal(endpoint.body.tenant_id, tenantB);
    const published = await call(stack, keyB, { method: 'POST', path: '/v1/events', body: { type: 'design.exported', data: { design_id: 'd_2' } } });
    assert.equal(published.status, 202);
    deliveryB = published.body.deliveries[0].id;
    await hookB.waitFor(1);

    const endpoints = await call(stack, keyB, { method: 'GET', path: '/v1/endpoints' });
    assert.deepEqual(endpoints.body.data.map((e: { id: string }) => e.id), [endpoint.body.id]);
    const events = await call(stack, keyB, { method: 'GET', path: '/v1/events' });
    assert.deepEqual(events.body.data.map((e: { id: string }) => e.id), [published.body.id]);
  });

  it("answers 404 to every route on another tenant's resources and changes nothing", async () => {
    const snapshot = async () => ({
      endpoint: (await stack.api('GET', `/v1/endpoints/${endpointA}`)).body,
      secret: (await stack.api('GET', `/v1/endpoints/${endpointA}/secret`)).body,
      event: (await stack.api('GET', `/v1/events/${eventA}`)).body,
      delivery: (await stack.api('GET', `/v1/deliveries/${deliveryA}`)).body,
    });
    const before = await snapshot();
    assert.equal(before.endpoint.status, 'active');
    assert.equal(before.delivery.status, 'retrying');
    const requestsBefore = hookA.requests.length;

    const calls: Call[] = [
      { method: 'GET', path: `/v1/endpoints/${endpointA}` },
      { method: 'PATCH', path: `/v1/endpoints/${endpointA}`, body: { description: 'taken over', url: hookB.url } },
      { method: 'GET', path: `/v1/endpoints/${endpointA}/secret` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/secret/rotate` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/verify` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/disable` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/enable` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/test` },
      { method: 'POST', path: `/v1/endpoints/${endpointA}/replay`, body: { since: '2020-01-01T00:00:00Z' } },
      { method: 'GET', path: `/v1/endpoints/${endpointA}/deliveries` },
      { method: 'GET', path: `/v1/events/${eventA}` },
      { method: 'GET', path: `/v1/deliveries/${deliveryA}` },
      { method: 'POST', path: `/v1/deliveries/${deliveryA}/retry` },
      { method: 'POST', path: `/v1/deliveries/${deliveryA}/cancel` },
      { method: 'DELETE', path: `/v1/endpoints/${endpointA}` },
    ];
    for (const c of calls) {
      const res = await call(stack, keyB, c);
      assert.equal(res.status, 404, `${c.method} ${c.path}: ${JSON.stringify(res.body)}`);
    }

    // The admin still sees A's endpoint, secret, event and delivery exactly as they were.
    assert.deepEqual(await snapshot(), before);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hookA.requests.length, requestsBefore, 'a retry or verification reached the receiver');
    assert.equal((await stack.api('GET', `/v1/deliveries/${deliveryA}`)).body.status, 'retrying');
  });

  it("lists none of another tenant's deliveries, whatever the filter", async () => {
    // Wait until visibility has indexed both, so an empty answer means filtered, not not-yet-indexed.
    await eventually(async () => {
      const res = await stack.api('GET', `/v1/deliveries?endpoint_id=${endpointA}`);
      return res.body.data.some((d: { id: string }) => d.id === deliveryA) || undefined;
    });
    await eventually(async () => {
      const res = await call(stack, keyB, { method: 'GET', path: '/v1/deliveries' });
      return res.body.data.some((d: { id: string }) => d.id === deliveryB) || undefined;
    });

    for (const query of [`endpoint_id=${endpointA}`, `event_id=${eventA}`, 'status=retrying', `endpoint_id=${endpointA}&tenant_id=${tenantA}`]) {
      const res = await call(stack, keyB, { method: 'GET', path: `/v1/deliveries?${query}` });
      assert.equal(res.status, 200, query);
      assert.deepEqual(res.body.data, [], query);
    }
    const named = await call(stack, keyB, { method: 'GET', path: `/v1/deliveries?tenant_id=${tenantA}` });
    assert.deepEqual(named.body.data.map((d: { id: string }) => d.id), [deliveryB]);
  });

  it('refuses to publish into, or create endpoints for, another tenant with 422 at tenant_id', async () => {
    const [events, endpoints] = [await countOf(stack, 'events', tenantA), await countOf(stack, 'endpoints', tenantA)];
    const published = await call(stack, keyB, { method: 'POST', path: '/v1/events', body: { tenant_id: tenantA, type: 'design.exported', data: {} } });
    assert.equal(published.status, 422);
    assert.equal(published.body.errors[0].path, 'tenant_id');
    const endpoint = await call(stack, keyB, { method: 'POST', path: '/v1/endpoints', body: { tenant_id: tenantA, url: hookB.url, event_types: ['*'], verify: false } });
    assert.equal(endpoint.status, 422);
    assert.equal(endpoint.body.errors[0].path, 'tenant_id');
    assert.equal(await countOf(stack, 'events', tenantA), events);
    assert.equal(await countOf(stack, 'endpoints', tenantA), endpoints);
  });

  it('answers 403 to every tenant-management route, its own tenant included', async () => {
    const calls: Call[] = [
      { method: 'GET', path: '/v1/tenants' },
      { method: 'POST', path: '/v1/tenants', body: { name: 'Mine', alert_email: 'me@mine.example' } },
      { method: 'GET', path: `/v1/tenants/${tenantB}` },
      { method: 'PATCH', path: `/v1/tenants/${tenantB}`, body: { name: 'Renamed' } },
      { method: 'DELETE', path: `/v1/tenants/${tenantB}` },
      { method: 'POST', path: `/v1/tenants/${tenantB}/api-keys` },
      { method: 'GET', path: `/v1/tenants/${tenantB}/api-keys` },
      { method: 'GET', path: `/v1/tenants/${tenantA}` },
      { method: 'DELETE', path: `/v1/tenants/${tenantA}` },
      { method: 'POST', path: `/v1/tenants/${tenantA}/api-keys` },
    ];
    for (const c of calls) {
      const res = await call(stack, keyB, c);
      assert.equal(res.status, 403, `${c.method} ${c.path}`);
    }
    assert.equal((await stack.api('GET', `/v1/tenants/${tenantB}`)).body.name, 'Orbit');
    assert.equal(await countOf(stack, 'api_keys', tenantA), 0);
  });

  it('answers 401 to a revoked key while the tenant’s other keys keep working', async () => {
    const doomed = await createKey(stack, tenantB);
    assert.equal((await call(stack, doomed.key, { method: 'GET', path: '/v1/endpoints' })).status, 200);

    // Revoking through another tenant's path finds nothing.
    assert.equal((await stack.api('DELETE', `/v1/tenants/${tenantA}/api-keys/${doomed.id}`)).status, 404);
    assert.equal((await call(stack, doomed.key, { method: 'GET', path: '/v1/endpoints' })).status, 200);

    assert.equal((await stack.api('DELETE', `/v1/tenants/${tenantB}/api-keys/${doomed.id}`)).status, 204);
    const refused = await call(stack, doomed.key, { method: 'GET', path: '/v1/endpoints' });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.status, 401);
    assert.equal((await call(stack, keyB, { method: 'GET', path: '/v1/endpoints' })).status, 200);

    const listed = await stack.api('GET', `/v1/tenants/${tenantB}/api-keys`);
    assert.ok(listed.body.data.find((k: { id: string }) => k.id === doomed.id).revoked_at);
    assert.equal((await stack.api('DELETE', `/v1/tenants/${tenantB}/api-keys/${doomed.id}`)).status, 204, 'revoking twice');
    assert.equal((await stack.api('DELETE', `/v1/tenants/${tenantB}/api-keys/key_00000000000000000000000000`)).status, 404);
  });

  it('answers 401 to a well-formed key that was never issued', async () => {
    const forged = `hrd_${'A'.repeat(43)}`;
    assert.equal((await call(stack, forged, { method: 'GET', path: '/v1/endpoints' })).status, 401);
  });

  it('answers 404 when issuing a key for a tenant that does not exist', async () => {
    assert.equal((await stack.api('POST', '/v1/tenants/tnt_00000000000000000000000000/api-keys')).status, 404);
  });
});

describe('managing tenants', () => {
  let stack: Stack;
  let hook: Receiver;
  before(async () => {
    stack = await startStack();
    hook = await startReceiver();
  });
  after(async () => {
    await hook.close();
    await stack.stop();
  });

  it('renames a tenant and changes its alert email', async () => {
    const id = await createTenant(stack, 'Nexus');
    const renamed = await stack.api('PATCH', `/v1/tenants/${id}`, { name: 'Nexus Studios' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Nexus Studios');
    assert.equal(renamed.body.alert_email, 'ops@nexus.example');
    const moved = await stack.api('PATCH', `/v1/tenants/${id}`, { alert_email: 'alerts@nexus.example' });
    assert.equal(moved.body.alert_email, 'alerts@nexus.example');
    assert.equal((await stack.api('GET', `/v1/tenants/${id}`)).body.name, 'Nexus Studios');
  });

  it('refuses a bad patch with the path of the fault, and answers 404 for an unknown tenant', async () => {
    const id = await createTenant(stack, 'Acme');
    const bad = await stack.api('PATCH', `/v1/tenants/${id}`, { alert_email: 'not-an-email', plan: 'gold' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['', 'alert_email']);
    assert.equal((await stack.api('GET', `/v1/tenants/${id}`)).body.alert_email, 'ops@acme.example');
    assert.equal((await stack.api('PATCH', '/v1/tenants/tnt_00000000000000000000000000', { name: 'X' })).status, 404);
    assert.equal((await stack.api('DELETE', '/v1/tenants/tnt_00000000000000000000000000')).status, 404);
  });

  it('deletes a tenant with its endpoints, events, deliveries and keys', async () => {
    const id = await createTenant(stack, 'Gone');
    const other = await createTenant(stack, 'Stays');
    const { key } = await createKey(stack, id);
    for (const tenant of [id, other]) {
      const endpoint = await stack.api('POST', '/v1/endpoints', { tenant_id: tenant, url: hook.url, event_types: ['*'], verify: false });
      assert.equal(endpoint.status, 201);
      await publish(stack, tenant);
    }
    await hook.waitFor(2);

    assert.equal((await stack.api('DELETE', `/v1/tenants/${id}`)).status, 204);
    assert.equal((await stack.api('GET', `/v1/tenants/${id}`)).status, 404);
    for (const table of ['endpoints', 'events', 'deliveries', 'api_keys']) {
      assert.equal(await countOf(stack, table, id), 0, table);
    }
    assert.equal(await countOf(stack, 'endpoints', other), 1);
    assert.equal(await countOf(stack, 'events', other), 1);
    assert.equal(await countOf(stack, 'deliveries', other), 1);
    assert.equal((await call(stack, key, { method: 'GET', path: '/v1/endpoints' })).status, 401);
  });
});
