import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freePortBelow32768 } from '../../dev/free-port-below';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import { respond } from '../helpers/receiver';
import { startSmtpServer } from '../helpers/smtp';

const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/\r?\n\s+/g, ' ');
const metricValue = async (harness: ReturnType<typeof useStack>, name: string, labels = '') => {
  const text = await harness.stack.deps.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
};

describe('with the SMTP server down', () => {
  let smtpPort: number;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
  // The alert mail goes to a port nobody listens on, until the test starts a server there; below
  // the kernel's range for outgoing connections, so that none takes it meanwhile (not even the
  // mailer's own, connected to itself).
  const harness = useStack(async () => {
    smtpPort = await freePortBelow32768();
    return { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` };
  });
  after(async () => smtp?.close());

  it('ends the failed delivery at once, keeps its FIFO line moving, raises webhook.failed, takes a manual retry, and mails once SMTP is back', async () => {
    const { stack } = harness;

    const hook = await harness.receiver(respond(500), respond(200));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url, { ordering: 'fifo', retry: { preset: 'none' }, event_types: ['design.*'] });
    const watcher = await harness.receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['webhook.failed'], verify: false });

    const first = (await publish(stack, tenantId)).deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    const second = (await publish(stack, tenantId)).deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    const failed = await waitForStatus(stack, first.id, 'failed');
    assert.equal(failed.reason, 'retries exhausted');
    await waitForStatus(stack, second.id, 'succeeded');
    const [notice] = await watcher.waitFor(1);
    assert.equal(JSON.parse(notice!.body).data.delivery_id, first.id);
    assert.equal((await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body.health, 'healthy', 'the later success healed it');

    // The status says failed, so a retry must run it again, not vanish into a finishing workflow.
    assert.equal((await stack.api('POST', `/v1/deliveries/${first.id}/retry`)).status, 202);
    const retried = await waitForStatus(stack, first.id, 'succeeded');
    assert.deepEqual(retried.attempts.map((a: { number: number; trigger: string }) => [a.number, a.trigger]), [[1, 'scheduled'], [2, 'manual']]);
    assert.equal((await stack.api('POST', `/v1/deliveries/${first.id}/cancel`)).status, 409, 'an ended delivery cannot be cancelled');
    // Listings show the delivery as its latest run says: the retried failure is no longer failed.
    const listed = await eventually(async () => {
      const res = await stack.api('GET', `/v1/endpoints/${endpoint.id}/deliveries`);
      const mine = res.body.data.filter((d: { id: string }) => d.id === first.id);
      return mine.length === 1 && mine[0].status === 'succeeded' ? mine : undefined;
    });
    assert.equal(listed.length, 1);
    assert.deepEqual((await stack.api('GET', `/v1/deliveries?status=failed&endpoint_id=${endpoint.id}`)).body.data, []);

    smtp = await startSmtpServer(smtpPort);
    const mail = await eventually(async () => smtp!.mails[0], 60_000);
    assert.ok(unfold(mail.raw).includes(first.id));
  });
});

describe('a receiver that answers with a NUL byte in the body', () => {
  const harness = useStack();

  it('logs a 2xx answer and succeeds, and retries and fails a 5xx one on its schedule', async () => {
    const { stack } = harness;
    const ok = await harness.receiver(respond(200, 'ok\u0000done', { 'x-odd': 'a' }));
    const bad = await harness.receiver(respond(500, '\u0000\u0000broken'));
    const a = await createTenantWithEndpoint(stack, ok.url);
    const b = await createTenantWithEndpoint(stack, bad.url, { retry: { delays: ['1s'] } });

    const succeeded = await waitForStatus(stack, (await publish(stack, a.tenantId)).deliveries[0]!.id, 'succeeded');
    assert.equal(succeeded.attempts[0].response.body, 'ok\ufffddone');
    assert.equal(ok.requests.length, 1, 'sent once: the log write did not fail the attempt');

    const failed = await waitForStatus(stack, (await publish(stack, b.tenantId)).deliveries[0]!.id, 'failed');
    assert.deepEqual(failed.attempts.map((x: { response: { status: number; body: string } }) => [x.response.status, x.response.body]), [
      [500, '\ufffd\ufffdbroken'],
      [500, '\ufffd\ufffdbroken'],
    ]);
    assert.equal(bad.requests.length, 2);
  });

  it('ends a delivery whose attempt can never run failed, with the reason, instead of retrying it forever', async () => {
    const { stack } = harness;
    const hook = await harness.receiver();
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url);
    const watcher = await harness.receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['webhook.failed'], verify: false });
    // An encryption-key mistake: the stored secret no longer decrypts.
    await stack.pool.query("UPDATE endpoint_secrets SET secret_encrypted = 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA' WHERE endpoint_id = $1", [endpoint.id]);
    const ended = (await publish(stack, tenantId)).deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    const detail = await waitForStatus(stack, ended.id, 'failed', 15_000);
    assert.match(detail.reason, /^permanent error: .*(decrypt|authentication|malformed)/);
    assert.equal(hook.requests.length, 0);
    assert.equal((await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body.health, 'failing');
    const [notice] = await watcher.waitFor(1);
    assert.equal(JSON.parse(notice!.body).data.reason, detail.reason);
  });

  it('counts each ended delivery once, cancels by signal included', async () => {
    const { stack } = harness;
    const before = await metricValue(harness, 'herald_deliveries_ended_total', '{status="cancelled"}');
    const hook = await harness.receiver(respond(500));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/cancel`);
    await waitForStatus(stack, deliveries[0]!.id, 'cancelled');
    await eventually(async () => ((await metricValue(harness, 'herald_deliveries_ended_total', '{status="cancelled"}')) === before + 1 ? true : undefined));
    const text = await stack.deps.metrics.registry.metrics();
    assert.match(text, /^herald_process_cpu_seconds_total /m);
    assert.doesNotMatch(text, /herald_process_process_/);
  });
});

describe('a receiver that answers 410 Gone', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const harness = useStack(async () => {
    smtp = await startSmtpServer();
    return { SMTP_URL: smtp.url };
  });
  after(async () => smtp.close());

  it('disables the endpoint with reason gone, raises endpoint.disabled once and says so in the mail', async () => {
    const { stack } = harness;
    const gone = await harness.receiver(respond(410));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, gone.url, { event_types: ['design.*'] });
    const watcher = await harness.receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['endpoint.disabled'], verify: false });
    const delivery = (await publish(stack, tenantId)).deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    assert.equal((await waitForStatus(stack, delivery.id, 'failed')).reason, 'gone');
    const disabled = (await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body;
    assert.deepEqual([disabled.status, disabled.disabled_reason], ['disabled', 'gone']);

    const [notice] = await watcher.waitFor(1);
    assert.deepEqual(JSON.parse(notice!.body).data.reason, 'gone');
    const mail = unfold((await eventually(async () => smtp.mails[0])).raw);
    assert.match(mail, /answered 410 Gone/);
    assert.doesNotMatch(mail, /stays active/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(watcher.requests.length, 1, 'endpoint.disabled is raised once');
    assert.equal(Number((await stack.pool.query("SELECT count(*) FROM events WHERE type = 'endpoint.disabled' AND tenant_id = $1", [tenantId])).rows[0].count), 1);
  });
});

describe('auto-disable while the mail fails', () => {
  let smtpPort: number;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
  const harness = useStack(async () => {
    smtpPort = await freePortBelow32768();
    return { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, HERALD_AUTO_DISABLE_AFTER: '2s', HERALD_MAINTENANCE_INTERVAL: '1s' };
  });
  after(async () => smtp?.close());

  it('disables every failing endpoint, raises each endpoint.disabled once, and sends each mail when SMTP is back', async () => {
    const { stack } = harness;
    const down = await harness.receiver(respond(500));
    const { tenantId } = await createTenantWithEndpoint(stack, down.url, { retry: { preset: 'none' }, event_types: ['design.*'] });
    const other = (await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: down.url, event_types: ['design.*'], retry: { preset: 'none' }, verify: false })).body.id;
    const watcher = await harness.receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['endpoint.disabled'], verify: false });
    await publish(stack, tenantId);

    const notices = await watcher.waitFor(2, 30_000);
    assert.deepEqual(new Set(notices.map((n) => JSON.parse(n.body).data.reason)), new Set(['failing']));
    const endpoints = (await stack.api('GET', `/v1/endpoints?tenant_id=${tenantId}`)).body.data.filter((e: { url: string }) => e.url === down.url);
    assert.deepEqual(endpoints.map((e: { status: string }) => e.status), ['disabled', 'disabled']);
    assert.ok(endpoints.some((e: { id: string }) => e.id === other));

    // Several maintenance runs retry the mail meanwhile; the events stay one per disable.
    await new Promise((r) => setTimeout(r, 3000));
    smtp = await startSmtpServer(smtpPort);
    const disabledMails = () => smtp!.mails.map((m) => unfold(m.raw)).filter((text) => text.includes('Webhook endpoint disabled'));
    await eventually(async () => (disabledMails().length >= 2 ? true : undefined), 30_000);
    for (const text of disabledMails()) {
      assert.match(text, /failing without a break for \d+ min/);
      assert.doesNotMatch(text, /0\.0 days/);
    }
    assert.equal(watcher.requests.length, 2);
  });
});
