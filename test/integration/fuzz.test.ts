import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createApiRouter } from '../../api/app';
import { MAX_JSON_DEPTH } from '../../api/json-limits';
import { snapshotTables } from '../helpers/db-snapshot';
import { publish, waitForStatus } from '../helpers/fixtures';
import { deepJson, HOSTILE_BODIES, HOSTILE_STRINGS, randomJson, seededRandom, type Random } from '../helpers/fuzz-values';
import { useStack } from '../helpers/harness';
import { rawRequest } from '../helpers/raw-request';

const SEED = 20261129;
const CASES_PER_ROUTE = 40;

interface Route {
  method: string;
  path: string;
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// Query values that have reached a handler unchecked before: bad cursors and limits, NULs, times.
const QUERY_VALUES = ['', '0', '-1', '101', '1e400', '1.5', 'abc', 'AAAA', 'bnVsbA', 'bnVsbA.AAAA', '%00', 'x%00y', '%ff', '%ud800', '2026-01-01T00:00:00%2B25:00', 'x'.repeat(5000)];
const QUERY_NAMES = ['limit', 'cursor', 'tenant_id', 'endpoint_id', 'event_id', 'event_type', 'status', 'since', 'until', 'type', 'group', 'x', '__proto__'];

// Bodies that would be valid but for a field: each collection route gets its template with one
// field broken, plus an unknown field (every schema is strict), so nothing can be stored.
const templatesFor = (tenant: string): Record<string, Record<string, unknown>> => ({
  '/v1/tenants': { name: 'Fuzz', alert_email: 'ops@fuzz.example' },
  '/v1/event-types': { name: 'fuzz.happened', description: 'x', schema: { type: 'object' } },
  '/v1/endpoints': { tenant_id: tenant, url: 'https://hooks.example.com/x', event_types: ['*'], verify: false, filter: { 'data.a': { $eq: 1 } }, transform: { jsonata: 'data' } },
  '/v1/events': { tenant_id: tenant, type: 'design.exported', data: { a: 1 }, metadata: { source: 'fuzz' }, occurred_at: '2026-01-15T10:00:00Z' },
  '/v1/events/batch': { events: [{ tenant_id: tenant, type: 'design.exported', data: {} }] },
});

describe('a seeded fuzz of every route', () => {
  const harness = useStack();
  let routes: Route[];
  let realIds: Record<string, string>;
  let tenantKey: string;

  before(async () => {
    const { stack } = harness;
    const hook = await harness.receiver();
    const tenant = (await stack.api('POST', '/v1/tenants', { name: 'Nexus', alert_email: 'ops@nexus.example' })).body.id;
    const key = (await stack.api('POST', `/v1/tenants/${tenant}/api-keys`)).body;
    tenantKey = key.key;
    await stack.api('POST', '/v1/event-types', { name: 'design.exported', schema: { type: 'object' } });
    const endpoint = (await stack.api('POST', '/v1/endpoints', { tenant_id: tenant, url: hook.url, event_types: ['*'], verify: false })).body.id;
    const published = await publish(stack, tenant);
    await waitForStatus(stack, published.deliveries[0]!.id, 'succeeded');
    realIds = { tenants: tenant, 'api-keys': key.id, endpoints: endpoint, events: published.id, deliveries: published.deliveries[0]!.id, 'event-types': 'design.exported' };
    await stack.deps.portalKey.current();
    routes = createApiRouter(stack.deps)
      .stack.flatMap((layer) => layer.methods.map((method) => ({ method, path: String(layer.path) })))
      // Rotating the portal key takes no input at all: nothing to fuzz, and every call changes data.
      .filter((r) => r.method !== 'HEAD' && r.path !== '/v1/portal-signing-key/rotate');
  });

  /** A path for the route: real ids only where nothing can change (GET), else absent or malformed ones. */
  function pathFor(random: Random, route: Route): string {
    return route.path.replace(/\/([^/]+)\/:[A-Za-z]+/g, (_m, collection: string) => {
      const real = realIds[collection]!;
      const absent = collection === 'event-types' ? 'absent.type' : real.replace(/[0-9A-Z]{26}$/, '0'.repeat(26));
      // Lone surrogates go on the wire as what a client would send: U+FFFD's bytes.
      const malformed = [encodeURIComponent(Buffer.from(random.pick(HOSTILE_STRINGS)).toString()) || 'x', '%00', `${real}%00`, real.toLowerCase(), 'x'.repeat(300), '%2e%2e'];
      const choices = route.method === 'GET' ? [real, real, absent, ...malformed] : [absent, absent, ...malformed.filter((id) => id !== real)];
      return `/${collection}/${random.pick(choices)}`;
    });
  }

  function queryFor(random: Random): string {
    const parts: string[] = [];
    for (let i = random.int(4); i > 0; i--) parts.push(`${random.pick(QUERY_NAMES)}=${random.pick(QUERY_VALUES)}`);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }

  function bodyFor(random: Random, route: Route): string | undefined {
    if (route.method === 'GET' || route.method === 'DELETE') return random.chance(0.1) ? random.pick(HOSTILE_BODIES) : undefined;
    const template = templatesFor(realIds.tenants!)[route.path];
    const roll = random.next();
    if (template && roll < 0.25) return withUnstorableValue(random, template);
    if (template && roll < 0.5) {
      const broken: Record<string, unknown> = { ...template, [`unknown_${random.int(1000)}`]: true };
      broken[random.pick(Object.keys(template))] = randomJson(random);
      return JSON.stringify(broken);
    }
    if (roll < 0.8) return JSON.stringify(randomJson(random));
    return random.pick(HOSTILE_BODIES);
  }

  /**
   * The template, valid in every other way, with one value Herald must refuse (a NUL, a lone
   * surrogate, deep nesting) at a random place: a Herald that let it through would either
   * answer 500 or store it, and this test catches both.
   */
  function withUnstorableValue(random: Random, template: Record<string, unknown>): string {
    const body = structuredClone(template);
    const holders: Record<string, unknown>[] = [];
    const collect = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return;
      if (!Array.isArray(value)) holders.push(value as Record<string, unknown>);
      Object.values(value).forEach(collect);
    };
    collect(body);
    const holder = random.pick(holders);
    const key = random.chance(0.5) ? random.pick(Object.keys(holder)) : `added_${random.int(100)}`;
    holder[key] = '@@UNSTORABLE@@';
    const unstorable = random.pick(['"a\\u0000b"', '"\\ud800"', `"x\\udfff"`, deepJson(MAX_JSON_DEPTH + 5)]);
    return JSON.stringify(body).replace('"@@UNSTORABLE@@"', unstorable);
  }

  function headersFor(random: Random): Record<string, string> {
    const { stack } = harness;
    const headers: Record<string, string> = {};
    const key = random.pick([stack.adminKey, stack.adminKey, stack.adminKey, tenantKey, undefined, 'hrd_' + 'A'.repeat(43), 'x'.repeat(4000)]);
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (random.chance(0.15)) headers['content-type'] = random.pick(['text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/merge-patch+json']);
    if (random.chance(0.15)) headers['idempotency-key'] = random.pick(['', ' ', 'k'.repeat(300), 'ok-key', '\t']);
    if (random.chance(0.05)) headers['x-padding'] = 'p'.repeat(random.pick([8_000, 20_000]));
    return headers;
  }

  async function send(c: Case): Promise<{ status: number; text: string }> {
    const res = await rawRequest(harness.stack.baseUrl, c);
    return { status: res.status, text: res.text };
  }

  it('answers every random request below 500 and stores nothing', async () => {
    const { stack } = harness;
    const before = await snapshotTables(stack.pool);
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const route of routes) {
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        const body = bodyFor(random, route);
        const c: Case = { method: route.method, path: pathFor(random, route) + queryFor(random), headers: headersFor(random), ...(body !== undefined && { body }) };
        const res = await send(c);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${c.method} ${c.path.slice(0, 200)} ${(c.body ?? '').slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} answers of 500 or more`);
    assert.ok((statuses.get(422) ?? 0) > 100, `the fuzz barely reached validation: ${JSON.stringify([...statuses])}`);
    assert.deepEqual(await snapshotTables(stack.pool), before);
  });

  it('answers the inputs that once crashed handlers with a 4xx naming the fault', async () => {
    const { stack } = harness;
    const before = await snapshotTables(stack.pool);
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const { tenants: tenant, endpoints: endpoint } = realIds;
    const deep = deepJson(10_000);
    const cases: { c: Case; status: number; path?: string }[] = [
      { c: { method: 'GET', path: '/v1/tenants/%00', headers: admin }, status: 404, path: 'path' },
      { c: { method: 'GET', path: '/v1/endpoints/ep_%00', headers: admin }, status: 404, path: 'path' },
      // AAAA decodes to NUL bytes; a delivery cursor is a sealed Temporal page token, which bnVsbA is not.
      ...['/v1/tenants', '/v1/endpoints', '/v1/events', '/v1/event-types', `/v1/tenants/${tenant}/api-keys`].map((list) => ({
        c: { method: 'GET', path: `${list}?cursor=AAAA`, headers: admin },
        status: 422,
        path: 'query.cursor',
      })),
      ...['/v1/deliveries', `/v1/endpoints/${endpoint}/deliveries`].flatMap((list) =>
        ['AAAA', 'bnVsbA', 'bnVsbA.AAAA'].map((cursor) => ({ c: { method: 'GET', path: `${list}?cursor=${cursor}`, headers: admin }, status: 422, path: 'query.cursor' })),
      ),
      { c: { method: 'POST', path: '/v1/tenants', headers: admin, body: JSON.stringify({ name: 'a\u0000b', alert_email: 'ops@x.example' }) }, status: 422, path: 'name' },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: JSON.stringify({ tenant_id: tenant, type: 'design.exported', data: { note: 'a\u0000' } }) }, status: 422, path: 'data.note' },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: JSON.stringify({ tenant_id: tenant, type: 'design.exported', data: {}, metadata: { 'k\u0000': 1 } }) }, status: 422, path: 'metadata.k\u0000' },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: `{"tenant_id":"${tenant}","type":"design.exported","data":{"s":"\\ud800"}}` }, status: 422, path: 'data.s' },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: `{"tenant_id":"${tenant}","type":"design.exported","data":${deep}}` }, status: 422 },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: `{"tenant_id":"${tenant}","type":"design.exported","data":{},"metadata":${deep}}` }, status: 422 },
      { c: { method: 'POST', path: '/v1/events/batch', headers: admin, body: `{"events":[{"tenant_id":"${tenant}","type":"design.exported","data":${deep}}]}` }, status: 422 },
      { c: { method: 'POST', path: '/v1/endpoints', headers: admin, body: `{"tenant_id":"${tenant}","url":"https://hooks.example.com/x","event_types":["*"],"metadata":${deep}}` }, status: 422 },
      { c: { method: 'POST', path: `/v1/endpoints/${endpoint}/test`, headers: admin, body: `{"data":${deep}}` }, status: 422 },
      { c: { method: 'POST', path: '/v1/event-types', headers: admin, body: `{"name":"deep.schema","schema":${deep}}` }, status: 422 },
      { c: { method: 'POST', path: '/v1/events', headers: admin, body: JSON.stringify({ tenant_id: tenant, type: 'design.exported', data: {}, occurred_at: '2026-01-15T10:00:00+25:00' }) }, status: 422, path: 'occurred_at' },
      { c: { method: 'GET', path: '/v1/deliveries?since=2026-01-15T10:00:00%2B25:00', headers: admin }, status: 422, path: 'query.since' },
      { c: { method: 'GET', path: '/v1/deliveries?until=2026-01-15T10:00:00%2B25:00', headers: admin }, status: 422, path: 'query.until' },
      { c: { method: 'POST', path: `/v1/endpoints/${endpoint}/replay`, headers: admin, body: JSON.stringify({ since: '2026-01-15T10:00:00-25:00' }) }, status: 422, path: 'since' },
    ];
    for (const { c, status, path } of cases) {
      const res = await send(c);
      const what = `${c.method} ${c.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 300)}`;
      assert.equal(res.status, status, what);
      const problem = JSON.parse(res.text);
      assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, what);
      if (path !== undefined) assert.equal(problem.errors[0].path, path, what);
      else assert.match(problem.errors[0].message, new RegExp(`deeper than ${MAX_JSON_DEPTH}`), what);
    }
    assert.deepEqual(await snapshotTables(stack.pool), before);
  });
});
