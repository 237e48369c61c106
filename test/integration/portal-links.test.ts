import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { signPortalToken } from '../../domain/portal-tokens';
import { createTenantWithEndpoint } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';

describe('portal links', () => {
  const harness = useStack();
  let tenantA: string;
  let endpointA: string;
  let tenantB: string;
  let endpointB: string;

  const as = (token: string, method: string, path: string, body?: unknown) => harness.stack.api(method, path, body, { key: token });
  const linkFor = async (tenantId: string, body: unknown = {}) => {
    const res = await harness.stack.api('POST', `/v1/tenants/${tenantId}/portal-links`, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { url: string; expires_at: string };
  };
  const tokenOf = (url: string) => new URL(url).hash.replace(/^#portal=/, '');

  before(async () => {
    const hook = await harness.receiver();
    ({ tenantId: tenantA, endpoint: { id: endpointA } } = await createTenantWithEndpoint(harness.stack, hook.url));
    ({ tenantId: tenantB, endpoint: { id: endpointB } } = await createTenantWithEndpoint(harness.stack, hook.url));
  });

  it('opens the console as one tenant for an hour by default, with the token in the fragment only', async () => {
    const link = await linkFor(tenantA);
    const url = new URL(link.url);
    assert.equal(url.pathname, '/console');
    assert.equal(url.search, '');
    assert.match(url.hash, /^#portal=hpt_/);
    const ttl = Date.parse(link.expires_at) - Date.now();
    assert.ok(ttl > 59 * 60_000 && ttl <= 3_600_000, `ttl ${ttl}`);

    const me = await as(tokenOf(link.url), 'GET', '/v1/me');
    assert.deepEqual({ ...me.body, expires_at: undefined }, { kind: 'portal', tenant_id: tenantA, tenant_name: 'Nexus Studios', expires_at: undefined });
  });

  it("shows the tenant's own objects and nothing of another tenant's", async () => {
    const token = tokenOf((await linkFor(tenantA)).url);
    const endpoints = await as(token, 'GET', '/v1/endpoints');
    assert.deepEqual(endpoints.body.data.map((e: { id: string }) => e.id), [endpointA]);
    assert.equal((await as(token, 'GET', `/v1/endpoints/${endpointA}/secret`)).status, 200);
    assert.equal((await as(token, 'GET', `/v1/endpoints/${endpointB}`)).status, 404);
    assert.equal((await as(token, 'GET', `/v1/endpoints?tenant_id=${tenantB}`)).body.data.length, 1, 'a tenant_id filter cannot widen the scope');
    assert.equal((await as(token, 'GET', '/v1/tenants')).status, 403);
    assert.equal((await as(token, 'POST', `/v1/tenants/${tenantA}/portal-links`)).status, 403);
  });

  it('works for the console only: a portal session cannot publish events', async () => {
    const token = tokenOf((await linkFor(tenantA)).url);
    const published = await as(token, 'POST', '/v1/events', { type: 'design.exported', data: {} });
    assert.equal(published.status, 403);
    assert.equal(Number((await harness.stack.pool.query('SELECT count(*) FROM events WHERE tenant_id = $1', [tenantA])).rows[0].count), 0);
  });

  it('lives at most 24 hours and refuses an expired or forged token', async () => {
    assert.equal((await harness.stack.api('POST', `/v1/tenants/${tenantA}/portal-links`, { ttl: '25h' })).body.errors[0].path, 'ttl');
    const day = await linkFor(tenantA, { ttl: '24h' });
    assert.ok(Date.parse(day.expires_at) - Date.now() > 23.9 * 3_600_000);

    const key = await harness.stack.deps.portalKey.current();
    const expired = signPortalToken({ tenantId: tenantA, expiresAt: new Date(Date.now() - 1000) }, key);
    assert.equal((await as(expired, 'GET', '/v1/me')).status, 401);
    const otherTenant = signPortalToken({ tenantId: tenantB, expiresAt: new Date(Date.now() + 60_000) }, Buffer.alloc(32, 1));
    assert.equal((await as(otherTenant, 'GET', '/v1/me')).status, 401, 'signed with another key');
    const valid = tokenOf((await linkFor(tenantA)).url);
    assert.equal((await as(`${valid.slice(0, -2)}AA`, 'GET', '/v1/me')).status, 401, 'a changed MAC');
  });

  it('stops every link at once when the signing key is rotated', async () => {
    const token = tokenOf((await linkFor(tenantA)).url);
    assert.equal((await as(token, 'GET', '/v1/me')).status, 200);
    assert.equal((await harness.stack.api('POST', '/v1/portal-signing-key/rotate')).status, 200);
    assert.equal((await as(token, 'GET', '/v1/me')).status, 401);
    assert.equal((await as(tokenOf((await linkFor(tenantA)).url), 'GET', '/v1/me')).status, 200, 'new links work');
  });
});

describe('what the console asks the API', () => {
  const harness = useStack();

  it('tells who a credential belongs to', async () => {
    const { stack } = harness;
    assert.deepEqual((await stack.api('GET', '/v1/me')).body, { kind: 'admin', tenant_id: null, tenant_name: null, expires_at: null });
    const tenant = (await stack.api('POST', '/v1/tenants', { name: 'Orbit', alert_email: 'ops@orbit.example' })).body.id;
    const key = (await stack.api('POST', `/v1/tenants/${tenant}/api-keys`)).body.key;
    assert.deepEqual((await stack.api('GET', '/v1/me', undefined, { key })).body, { kind: 'tenant', tenant_id: tenant, tenant_name: 'Orbit', expires_at: null });
    assert.equal((await stack.api('GET', '/v1/me', undefined, { key: 'hrd_wrong' })).status, 401);
  });

  it('says why a publish started no delivery', async () => {
    const { stack } = harness;
    const tenant = (await stack.api('POST', '/v1/tenants', { name: 'Quiet', alert_email: 'ops@quiet.example' })).body.id;
    const publish = async () => (await stack.api('POST', '/v1/events', { tenant_id: tenant, type: 'design.exported', data: {} })).body;
    assert.match((await publish()).notice, /no endpoints yet/);
    const hook = await harness.receiver();
    const other = await stack.api('POST', '/v1/endpoints', { tenant_id: tenant, url: hook.url, event_types: ['billing.*'], verify: false });
    assert.match((await publish()).notice, /no endpoint of this tenant subscribes to design.exported/);
    await stack.api('PATCH', `/v1/endpoints/${other.body.id}`, { event_types: ['design.*'] });
    await stack.api('POST', `/v1/endpoints/${other.body.id}/disable`);
    assert.match((await publish()).notice, /is disabled \(manual\)/);
    await stack.api('POST', `/v1/endpoints/${other.body.id}/enable`);
    const delivered = await publish();
    assert.equal(delivered.deliveries.length, 1);
    assert.equal(delivered.notice, undefined);
  });

  it('lets the admin narrow endpoint and event lists to one tenant', async () => {
    const { stack } = harness;
    const hook = await harness.receiver();
    const a = await createTenantWithEndpoint(stack, hook.url);
    await createTenantWithEndpoint(stack, hook.url);
    const listed = await stack.api('GET', `/v1/endpoints?tenant_id=${a.tenantId}`);
    assert.deepEqual(listed.body.data.map((e: { id: string }) => e.id), [a.endpoint.id]);
    assert.equal((await stack.api('GET', `/v1/events?tenant_id=${a.tenantId}`)).body.data.length, 0);
  });
});
