import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond, startReceiver, type Receiver } from '../helpers/receiver';
import { startSmtpServer } from '../helpers/smtp';
import { startStack, type Stack } from '../helpers/stack';

const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/\r?\n\s+/g, ' ');

describe('when a delivery exhausts its schedule', () => {
  let stack: Stack;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const receivers: Receiver[] = [];
  const receiver = async (...script: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...script);
    receivers.push(r);
    return r;
  };
  before(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ SMTP_URL: smtp.url, HERALD_ALERT_FROM: 'Herald <alerts@herald.example>' });
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await stack.stop();
    await smtp.close();
  });

  it('marks the endpoint failing, mails the owner once per hour, raises webhook.failed, and heals on success', async () => {
    const failing = await receiver(respond(500, 'database down'), respond(500, 'database down'), respond(200));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, failing.url, { retry: { preset: 'none' }, description: 'Billing hooks' });
    const watcher = await receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['webhook.failed'], verify: false });
    const everything = await receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: everything.url, event_types: ['*'], verify: false });

    const first = await publish(stack, tenantId);
    const firstDelivery = first.deliveries.find((d) => d.endpoint_id === endpoint.id)!;
    await waitForStatus(stack, firstDelivery.id, 'failed');

    const mail = await eventually(async () => smtp.mails[0]);
    assert.deepEqual(mail.to, ['ops@nexus.example']);
    const text = unfold(mail.raw);
    for (const expected of [endpoint.id, failing.url, 'http_status', firstDelivery.id, 'Billing hooks']) assert.ok(text.includes(expected), `mail lacks ${expected}`);

    const [notice] = await watcher.waitFor(1);
    const body = JSON.parse(notice!.body);
    assert.equal(body.type, 'webhook.failed');
    assert.equal(body.data.delivery_id, firstDelivery.id);
    assert.equal(body.data.endpoint_id, endpoint.id);
    assert.equal(body.data.last_error.status, 500);

    const afterFirst = (await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body;
    assert.equal(afterFirst.health, 'failing');
    assert.equal(afterFirst.status, 'active');

    const second = await publish(stack, tenantId);
    await waitForStatus(stack, second.deliveries.find((d) => d.endpoint_id === endpoint.id)!.id, 'failed');
    await watcher.waitFor(2);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(smtp.mails.length, 1, 'a second failure within the hour sends no second mail');
    assert.ok(everything.requests.every((r) => JSON.parse(r.body).type === 'design.exported'), 'a * subscription gets no system events');

    const third = await publish(stack, tenantId);
    await waitForStatus(stack, third.deliveries.find((d) => d.endpoint_id === endpoint.id)!.id, 'succeeded');
    assert.equal((await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body.health, 'healthy');
  });

  it('raises no webhook.failed for a failed delivery of webhook.failed itself', async () => {
    const down = await receiver(respond(500));
    const { tenantId } = await createTenantWithEndpoint(stack, down.url, { retry: { preset: 'none' }, event_types: ['design.*', 'webhook.failed'] });
    await publish(stack, tenantId);
    // The design event fails, raising webhook.failed to the same (failing) endpoint, which fails too.
    await down.waitFor(2);
    await eventually(async () => {
      const failed = await stack.api('GET', `/v1/deliveries?status=failed&tenant_id=${tenantId}`);
      return failed.body.data.length === 2 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const systemEvents = (await stack.pool.query("SELECT count(*) FROM events WHERE tenant_id = $1 AND type = 'webhook.failed'", [tenantId])).rows[0].count;
    assert.equal(Number(systemEvents), 1);
    assert.equal(down.requests.length, 2);
  });
});

describe('the maintenance schedule', () => {
  let stack: Stack;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const receivers: Receiver[] = [];
  before(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ SMTP_URL: smtp.url, HERALD_AUTO_DISABLE_AFTER: '2s', HERALD_MAINTENANCE_INTERVAL: '1s' });
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await stack.stop();
    await smtp.close();
  });

  it('is disabled with reason failing by the maintenance schedule, with a mail and an endpoint.disabled event', async () => {
    const down = await startReceiver(respond(500));
    const watcher = await startReceiver();
    receivers.push(down, watcher);
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, down.url, { retry: { preset: 'none' } });
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: watcher.url, event_types: ['endpoint.disabled'], verify: false });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries.find((d) => d.endpoint_id === endpoint.id)!.id, 'failed');

    const disabled = await eventually(async () => {
      const res = await stack.api('GET', `/v1/endpoints/${endpoint.id}`);
      return res.body.status === 'disabled' ? res.body : undefined;
    }, 20_000);
    assert.equal(disabled.disabled_reason, 'failing');
    const [notice] = await watcher.waitFor(1);
    assert.equal(JSON.parse(notice!.body).type, 'endpoint.disabled');
    assert.equal(JSON.parse(notice!.body).data.endpoint_id, endpoint.id);
    await eventually(async () => (smtp.mails.some((m) => unfold(m.raw).includes('disabled')) ? true : undefined));
  });

  it('starts a delivery whose workflow start was lost between commit and start (API crash)', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url);
    // What the API commits before it would start the workflow: the event and its outbox row.
    const [published] = await stack.deps.events.publish([
      {
        event: { tenantId, type: 'design.exported', occurredAt: new Date(), data: { crash: true }, metadata: null, idempotencyKey: null },
        recipients: [{ id: endpoint.id, ordering: 'none' }],
      },
    ]);
    const deliveries = published!.deliveries;
    await stack.pool.query("UPDATE deliveries SET created_at = now() - interval '1 minute' WHERE id = $1", [deliveries[0]!.id]);
    const [request] = await hook.waitFor(1, 20_000);
    assert.equal(request!.headers['webhook-id'], deliveries[0]!.id);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
  });
});
