import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createApiRouter, createApp } from '../../api/app';
import { openApiDocument } from '../../api/openapi';
import { PUBLIC_PATHS } from '../../api/routing/public-paths';
import { accessOf } from '../../api/routing/secure-router';
import type { Access } from '../../api/routing/access';
import { snapshotTables } from '../helpers/db-snapshot';
import { publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import { rawRequest } from '../helpers/raw-request';

interface Route {
  method: string;
  path: string;
  access: Access;
}

interface Spelling {
  name: string;
  path: string;
  /** Spelled as Herald answers it: the route itself, with the right key. */
  exact: boolean;
  /** Refused as not found before authentication (percent-encoding, empty or dot segments). */
  malformed: boolean;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Ten ways to write one path; only the first is the route. */
function spellingsOf(path: string): Spelling[] {
  const segments = path.split('/').slice(1);
  const last = segments.length - 1;
  const encodeFirstLetter = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;
  const rewrite = (i: number, f: (s: string) => string) => `/${segments.map((s, j) => (j === i ? f(s) : s)).join('/')}`;
  const spellings: Spelling[] = [
    { name: 'exact', path, exact: true, malformed: false },
    { name: 'upper case', path: path.toUpperCase(), exact: false, malformed: false },
    { name: 'lower case', path: path.toLowerCase(), exact: false, malformed: false },
    { name: 'mixed case', path: `/${segments.map(capitalise).join('/')}`, exact: false, malformed: false },
    { name: 'trailing slash', path: `${path}/`, exact: false, malformed: true },
    { name: 'double slash', path: `/${path}`, exact: false, malformed: true },
    { name: 'inner double slash', path: path.replace(/^(\/[^/]+)\//, '$1//'), exact: false, malformed: true },
    { name: 'percent-encoded letter', path: rewrite(last, encodeFirstLetter), exact: false, malformed: true },
    { name: 'percent-encoded first segment', path: rewrite(0, encodeFirstLetter), exact: false, malformed: true },
    { name: 'dot segment', path: `/.${path}`, exact: false, malformed: true },
    { name: 'dot-dot segment', path: `/x/..${path}`, exact: false, malformed: true },
  ];
  if (segments.length > 1) spellings.push({ name: 'encoded slash', path: `/${segments[0]}%2F${segments.slice(1).join('/')}`, exact: false, malformed: true });
  // A path of lower-case letters only has no other lower-case spelling.
  return spellings.filter((s) => s.exact || s.path !== path);
}

describe('every route the router knows, in every spelling', () => {
  const harness = useStack();
  let routes: Route[];
  let ids: Record<string, string>;
  let keyB: string;
  let portalB: string;

  before(async () => {
    const { stack } = harness;
    const hook = await harness.receiver();
    const tenantA = (await stack.api('POST', '/v1/tenants', { name: 'Nexus', alert_email: 'ops@nexus.example' })).body.id;
    const tenantB = (await stack.api('POST', '/v1/tenants', { name: 'Orbit', alert_email: 'ops@orbit.example' })).body.id;
    keyB = (await stack.api('POST', `/v1/tenants/${tenantB}/api-keys`)).body.key;
    portalB = new URL((await stack.api('POST', `/v1/tenants/${tenantB}/portal-links`)).body.url).hash.replace('#portal=', '');
    const keyA = (await stack.api('POST', `/v1/tenants/${tenantA}/api-keys`)).body.id;
    await stack.api('POST', '/v1/event-types', { name: 'design.exported', description: 'A design was exported' });
    const endpoint = (await stack.api('POST', '/v1/endpoints', { tenant_id: tenantA, url: hook.url, event_types: ['*'], verify: false })).body.id;
    const published = await publish(stack, tenantA);
    await waitForStatus(stack, published.deliveries[0]!.id, 'succeeded');
    // Each :param is the id of tenant A's object in the collection named before it.
    ids = { tenants: tenantA, 'api-keys': keyA, endpoints: endpoint, events: published.id, deliveries: published.deliveries[0]!.id, 'event-types': 'design.exported' };

    routes = createApiRouter(stack.deps).stack.flatMap((layer) =>
      layer.methods.map((method) => ({ method, path: String(layer.path), access: accessOf(layer)! })),
    );
  });

  const concrete = (path: string) => path.replace(/\/([^/]+)\/:[A-Za-z]+/g, (_m, collection: string) => `/${collection}/${ids[collection]}`);

  it('has an access rule for every route, and the public ones are exactly the allowlist', () => {
    assert.ok(routes.length >= 40, `only ${routes.length} routes`);
    for (const route of routes) assert.ok(route.access, `${route.method} ${route.path} has no access rule`);
    const publicPaths = new Set(routes.filter((r) => r.access === 'public').map((r) => r.path));
    assert.deepEqual([...publicPaths].sort(), [...PUBLIC_PATHS].sort());
  });

  it('describes exactly these routes in the OpenAPI document', () => {
    const notTheApi = new Set(['/openapi.json', '/docs', '/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/console', '/console/app.js', '/console/app.css']);
    const routed = routes
      .filter((r) => r.method !== 'HEAD' && !notTheApi.has(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const described = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    assert.deepEqual(described.sort(), routed.sort());
  });

  it('serves nothing without a valid key, to no spelling and no other tenant, and changes no data', async () => {
    const { stack } = harness;
    const before = await snapshotTables(stack.pool);
    const keys = {
      none: undefined,
      'wrong key': 'hrd_' + 'x'.repeat(43),
      'forged portal token': 'hpt_eyJ0IjoidG50In0.' + 'A'.repeat(43),
      "another tenant's key": keyB,
      "another tenant's portal session": portalB,
      'admin key': stack.adminKey,
    };
    let requests = 0;
    for (const route of routes) {
      for (const spelling of spellingsOf(concrete(route.path))) {
        for (const [keyName, key] of Object.entries(keys)) {
          // The admin may do anything to the route itself; in every other spelling it must find nothing.
          if (keyName === 'admin key' && spelling.exact) continue;
          const res = await rawRequest(stack.baseUrl, {
            method: route.method,
            path: spelling.path,
            headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
          });
          requests++;
          const what = `${route.method} ${spelling.path} (${spelling.name}, ${keyName}) → ${res.status} ${res.text.slice(0, 200)}`;
          const expected = expectedStatus(route, spelling, keyName);
          if (expected === 'served') {
            assert.ok(res.status < 500, what);
          } else {
            assert.ok(expected.includes(res.status), what);
            if (route.method !== 'HEAD') assert.equal(res.headers['content-type'], 'application/problem+json', what);
          }
        }
      }
    }
    assert.ok(requests > 1000, `only ${requests} requests`);
    assert.deepEqual(await snapshotTables(stack.pool), before);
  });

  it('names no tenant, endpoint or event in /metrics, and guards it with HERALD_METRICS_TOKEN when set', async () => {
    const { stack } = harness;
    const metrics = await rawRequest(stack.baseUrl, { method: 'GET', path: '/metrics' });
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /herald_delivery_attempts_total/);
    for (const id of [...Object.values(ids), 'Nexus', 'Orbit', 'nexus.example']) assert.ok(!metrics.text.includes(id), `/metrics mentions ${id}`);

    const token = 'metrics-token-0123456789';
    const guarded = createApp({ ...stack.deps, config: { ...stack.deps.config, metricsToken: token } }).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => guarded.once('listening', resolve));
      const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}`;
      assert.equal((await rawRequest(url, { method: 'GET', path: '/metrics' })).status, 401);
      assert.equal((await rawRequest(url, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${stack.adminKey}` } })).status, 401);
      assert.equal((await rawRequest(url, { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${token}` } })).status, 200);
    } finally {
      guarded.closeAllConnections();
      await new Promise((resolve) => guarded.close(resolve));
    }
  });

  /** 401 without a key, 404 for every other spelling (the admin's too), 403/404 for another tenant (key or portal session). */
  function expectedStatus(route: Route, spelling: Spelling, keyName: string): number[] | 'served' {
    if (spelling.malformed) return [404];
    const publicRoute = route.access === 'public';
    if (keyName === 'none' || keyName === 'wrong key' || keyName === 'forged portal token') return publicRoute && spelling.exact ? 'served' : [401];
    if (publicRoute && spelling.exact) return 'served';
    if (keyName === 'admin key') return [404];
    // Another tenant's key: admin routes are forbidden in any spelling that reaches them, A's
    // objects do not exist for it, and its own collections (and the shared event type catalog)
    // may be served.
    if (route.access === 'admin') return [403, 404];
    if (route.access === 'api-key' && keyName.includes('portal')) return spelling.exact ? [403] : [403, 404];
    if (!spelling.exact) return [404];
    const ownsObject = route.path.includes('/:') && !route.path.startsWith('/v1/event-types/');
    return ownsObject ? [404] : 'served';
  }
});
