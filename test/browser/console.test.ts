import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import { rawRequest } from '../helpers/raw-request';
import { respond } from '../helpers/receiver';
import { launchChromium, type Browser } from './chromium';

// The console and the customer portal, driven in real Chromium against a real stack, read the way
// a person reads the page: by labels, roles and names.

/** Waits (bounded) until `text` shows in the page's main content. */
const shows = (page: Page, text: string | RegExp, timeout = 10_000) => page.getByRole('main').getByText(text).first().waitFor({ state: 'visible', timeout });

async function signIn(page: Page, baseUrl: string, key: string) {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('console', () => {
  const harness = useStack();
  let browser: Browser;
  let nexus: string;
  let orbit: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await harness.stack.api(method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  before(async () => {
    browser = await launchChromium();
    nexus = (await api('POST', '/v1/tenants', { name: 'Nexus Studios', alert_email: 'ops@nexus.example' })).id;
    orbit = (await api('POST', '/v1/tenants', { name: 'Orbit Labs', alert_email: 'dev@orbit.example' })).id;
  });
  after(async () => {
    await browser?.close();
  });

  it('serves three assets with a strict Content-Security-Policy and no key', { timeout: 20_000 }, async () => {
    const page = await fetch(`${harness.stack.baseUrl}/console`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
    for (const [file, type] of [['app.js', /^text\/javascript/], ['app.css', /^text\/css/]] as const) {
      const res = await fetch(`${harness.stack.baseUrl}/console/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok((await res.text()).length > 1000, `${file} has content`);
      // fetch() would add Cache-Control: no-cache to a conditional request; a browser revalidating does not.
      const again = await rawRequest(harness.stack.baseUrl, { method: 'GET', path: `/console/${file}`, headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
      assert.equal(again.status, 304, `${file} revalidates`);
    }
    assert.equal((await fetch(`${harness.stack.baseUrl}/console/`)).status, 404, 'one spelling per path');
    assert.equal((await fetch(`${harness.stack.baseUrl}/console/other.js`)).status, 401, 'no other public path');
  });

  it('shows an error and no data for a wrong key, and stores nothing', { timeout: 60_000 }, async () => {
    await browser.withPage('wrong-key', async (page) => {
      await signIn(page, harness.stack.baseUrl, 'hrd_this-is-not-a-key');
      const alert = page.getByRole('alert');
      await alert.waitFor({ state: 'visible' });
      assert.match(await alert.innerText(), /not accepted/);
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
      assert.equal(await page.getByRole('table').count(), 0);
      assert.equal(await page.evaluate<number>('sessionStorage.length'), 0);
      assert.deepEqual(page.problems, []);
    });
  });

  it('signs the admin in, shows an endpoint, and retries a failed delivery until attempt 2 succeeds', { timeout: 120_000 }, async () => {
    const hook = await harness.receiver(respond(500, 'database is down'), respond(200, 'ok'));
    const healthy = await harness.receiver(respond(200, '{"received":true}', { 'content-type': 'application/json' }));
    const url = hook.url.replace(/\/hook$/, '/ingest');
    const endpoint = await api('POST', '/v1/endpoints', { tenant_id: nexus, url, description: 'Analytics pipeline', event_types: ['design.exported'], retry: { preset: 'none' }, verify: false });
    const other = await api('POST', '/v1/endpoints', { tenant_id: nexus, url: healthy.url.replace(/\/hook$/, '/webhooks/herald'), description: 'Production receiver', event_types: ['design.*'] });
    const { deliveries } = await publish(harness.stack, nexus, { data: { design_id: 'd_42', format: 'png' } });
    const failed = deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    await waitForStatus(harness.stack, failed.id, 'failed');
    const { secret } = await api('GET', `/v1/endpoints/${endpoint.id}/secret`);

    await browser.withPage('admin', async (page) => {
      await signIn(page, harness.stack.baseUrl, harness.stack.adminKey);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      assert.ok(await page.getByLabel('Tenant').isVisible(), 'the admin has a tenant switcher');
      assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('herald.credential')"), harness.stack.adminKey);
      assert.ok(!page.url().includes(harness.stack.adminKey), 'the key is never in the URL');
      assert.deepEqual(await browser.context.cookies(), [], 'nor in a cookie');

      // The endpoints table: URL (a link), status, health, event types.
      const table = page.getByRole('table', { name: 'Endpoints' });
      await table.getByRole('link', { name: url }).click();
      await page.getByRole('heading', { level: 1, name: url }).waitFor();
      await shows(page, 'Analytics pipeline');
      assert.equal(await page.getByText(secret).count(), 0, 'the secret is hidden until revealed');
      await page.getByRole('button', { name: 'Reveal secret' }).click();
      await page.getByText(secret).waitFor();
      await shows(page, /0 % succeeded/);

      await page.getByRole('button', { name: 'Send test event' }).click();
      await page.getByRole('status').filter({ hasText: 'Test event failed' }).or(page.getByRole('status').filter({ hasText: 'Test event delivered' })).waitFor();

      // The failed delivery, found through the filters.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deliveries' }).click();
      await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
      await page.getByLabel('Status').selectOption('failed');
      await page.getByLabel('Event type').fill('design.exported');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const list = page.getByRole('table', { name: 'Deliveries' });
      await list.getByRole('link', { name: failed.id }).click();

      const attempt = (n: number) => page.getByRole('article', { name: new RegExp(`^Attempt ${n}\\b`) });
      await attempt(1).waitFor();
      assert.match(await attempt(1).innerText(), /Response status\s+500/);
      assert.match(await attempt(1).innerText(), /database is down/);
      assert.match(await page.getByRole('link', { name: 'Open in Temporal UI' }).getAttribute('href') ?? '', /\/namespaces\/default\/workflows\/dlv_/);
      assert.equal(await page.getByRole('button', { name: 'Cancel' }).count(), 0, 'an ended delivery cannot be cancelled');

      await page.getByRole('button', { name: 'Retry' }).click();
      await attempt(2).waitFor({ timeout: 20_000 });
      await attempt(2).getByText('succeeded').waitFor({ timeout: 20_000 });
      assert.match(await attempt(2).innerText(), /manual[\s\S]*Response status\s+200/);
      await page.getByRole('region', { name: 'Summary' }).getByText('succeeded').waitFor({ timeout: 20_000 });
      assert.equal(hook.requests.length >= 2, true);

      // The endpoint page again, with real data: the README's picture when asked for.
      await page.getByRole('link', { name: url }).click();
      await page.getByRole('heading', { level: 1, name: url }).waitFor();
      await page.getByRole('table', { name: 'Recent deliveries' }).waitFor();
      const picture = process.env.HERALD_CONSOLE_SCREENSHOT;
      if (picture) {
        for (const event of [{ type: 'design.shared', data: { design_id: 'd_43' } }, { data: { design_id: 'd_44', format: 'pdf' } }, { data: { design_id: 'd_45', format: 'svg' } }]) {
          for (const d of (await publish(harness.stack, nexus, event)).deliveries) await waitForStatus(harness.stack, d.id, 'succeeded');
        }
        await page.goto(`${harness.stack.baseUrl}/console#/endpoints/${other.id}`);
        await page.getByRole('table', { name: 'Recent deliveries' }).getByRole('row').nth(4).waitFor();
        await page.mouse.move(1270, 790);
        await page.screenshot({ path: picture });
        console.log(`# console screenshot: ${picture}`);
      }
      assert.deepEqual(page.problems, []);
    });
  });

  it('opens a portal link as one tenant: its endpoints only, no switcher, another tenant\'s endpoint not found', { timeout: 60_000 }, async () => {
    const hook = await harness.receiver();
    const mine = await api('POST', '/v1/endpoints', { tenant_id: nexus, url: `${hook.url}-nexus`, event_types: ['*'], verify: false });
    const theirs = await api('POST', '/v1/endpoints', { tenant_id: orbit, url: `${hook.url}-orbit`, event_types: ['*'], verify: false });
    const link = await api('POST', `/v1/tenants/${nexus}/portal-links`, { ttl: '1h' });
    const token = new URL(link.url).hash.replace(/^#portal=/, '');
    assert.match(token, /^hpt_/);

    await browser.withPage('portal', async (page) => {
      await page.goto(`${harness.stack.baseUrl}/console#portal=${token}`);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
      assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('herald.credential')"), token);
      await page.getByText('Nexus Studios').first().waitFor();
      assert.equal(await page.getByLabel('Tenant').count(), 0, 'no tenant switcher in the portal');

      const table = page.getByRole('table', { name: 'Endpoints' });
      await table.getByRole('link', { name: mine.url }).waitFor();
      assert.equal(await page.getByText(theirs.url).count(), 0, "another tenant's endpoint is not listed");

      await page.goto(`${harness.stack.baseUrl}/console#/endpoints/${theirs.id}`);
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      assert.equal(await page.getByText(theirs.url).count(), 0);

      await page.goto(`${harness.stack.baseUrl}/console#/endpoints/${mine.id}`);
      await page.getByRole('heading', { level: 1, name: mine.url }).waitFor();
      await page.getByRole('button', { name: 'Reveal secret' }).click();
      await page.getByLabel('Secret', { exact: true }).waitFor();
      assert.deepEqual(page.problems, []);
    });
  });

  it('signs a tenant key in to its own tenant, without a switcher', { timeout: 60_000 }, async () => {
    const hook = await harness.receiver();
    const mine = await api('POST', '/v1/endpoints', { tenant_id: orbit, url: `${hook.url}-orbit-own`, event_types: ['*'], verify: false });
    const theirs = await api('POST', '/v1/endpoints', { tenant_id: nexus, url: `${hook.url}-nexus-other`, event_types: ['*'], verify: false });
    const { key } = await api('POST', `/v1/tenants/${orbit}/api-keys`, {});

    await browser.withPage('tenant-key', async (page) => {
      await signIn(page, harness.stack.baseUrl, key);
      await page.getByRole('table', { name: 'Endpoints' }).getByRole('link', { name: mine.url }).waitFor();
      assert.equal(await page.getByText(theirs.url).count(), 0, "another tenant's endpoint is not listed");
      assert.equal(await page.getByLabel('Tenant').count(), 0, 'a tenant key has no tenant switcher');
      await page.getByRole('banner').getByText('Orbit Labs').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API key').waitFor();
      assert.equal(await page.evaluate<number>('sessionStorage.length'), 0, 'signing out forgets the key');
      assert.deepEqual(page.problems, []);
    });
  });

  it('says why an endpoint receives nothing: pending verification (with Verify) or disabled (with its reason)', { timeout: 60_000 }, async () => {
    const hook = await harness.receiver(respond(503, 'not yet'), respond(204));
    const pending = await api('POST', '/v1/endpoints', { tenant_id: orbit, url: `${hook.url}-pending`, event_types: ['*'] });
    assert.equal(pending.status, 'pending_verification');
    const disabled = await api('POST', '/v1/endpoints', { tenant_id: orbit, url: `${hook.url}-disabled`, event_types: ['*'], verify: false });
    await api('POST', `/v1/endpoints/${disabled.id}/disable`);

    await browser.withPage('notices', async (page) => {
      await signIn(page, harness.stack.baseUrl, harness.stack.adminKey);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.goto(`${harness.stack.baseUrl}/console#/endpoints/${pending.id}`);
      await page.getByRole('status').filter({ hasText: 'receives no events until it is verified' }).waitFor();
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('status').filter({ hasText: 'Verified: the endpoint is active.' }).waitFor({ timeout: 15_000 });

      await page.goto(`${harness.stack.baseUrl}/console#/endpoints/${disabled.id}`);
      await page.getByRole('status').filter({ hasText: 'Disabled (reason: manual): this endpoint receives no events.' }).waitFor();
      await page.getByRole('button', { name: 'Enable' }).click();
      await page.getByRole('button', { name: 'Disable' }).waitFor();
      assert.equal((await api('GET', `/v1/endpoints/${disabled.id}`)).status, 'active');
      assert.deepEqual(page.problems, []);
    });
  });
});
