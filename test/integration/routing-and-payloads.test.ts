import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';

const eventCount = async (stack: Stack, tenantId: string) =>
  Number((await stack.pool.query('SELECT count(*) FROM events WHERE tenant_id = $1', [tenantId])).rows[0].count);

describe('routing and payload shaping', () => {
  const harness = useStack();
  const receiver = harness.receiver;
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  it('delivers only what each filter of the README lets through', async () => {
    const hook = await receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { filter: { 'metadata.workspace_id': { $in: ['ws_1', 'ws_2'] } } });
    const steps = await receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: steps.url, event_types: ['Task.*'], verify: false, filter: { 'data.StepName': { $in: ['Capture', 'Photo Review'] } } });
    const builds = await receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: builds.url, event_types: ['build-status-changed'], verify: false, filter: { 'data.build.status': { $ne: 'PASSED' } } });

    const sent = [
      { type: 'design.exported', data: {}, metadata: { workspace_id: 'ws_1' } },
      { type: 'design.exported', data: {}, metadata: { workspace_id: 'ws_9' } },
      { type: 'Task.Completed', data: { StepName: 'Capture' } },
      { type: 'Task.Completed', data: { StepName: 'Retouch' } },
      { type: 'build-status-changed', data: { build: { status: 'FAILED' } } },
      { type: 'build-status-changed', data: { build: { status: 'PASSED' } } },
    ];
    for (const e of sent) await publish(stack, tenantId, e);
    await Promise.all([hook.waitFor(1), steps.waitFor(1), builds.waitFor(1)]);
    await new Promise((r) => setTimeout(r, 800));
    const workspaces = hook.requests.map((r) => JSON.parse(r.body)).filter((b) => b.type === 'design.exported').map((b) => b.metadata.workspace_id);
    assert.deepEqual(workspaces, ['ws_1']);
    assert.deepEqual(steps.requests.map((r) => JSON.parse(r.body).data.StepName), ['Capture']);
    assert.deepEqual(builds.requests.map((r) => JSON.parse(r.body).data.build.status), ['FAILED']);
  });

  it('refuses an invalid filter at create time with the path of the fault', async () => {
    const { tenantId } = await createTenantWithEndpoint(stack, 'http://127.0.0.1:9/x');
    const res = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: 'http://127.0.0.1:9/y', event_types: ['*'], filter: { 'data.build.status': { $nee: 'PASSED' } } });
    assert.equal(res.status, 422);
    assert.match(res.body.errors[0].path, /^filter\.data\.build\.status/);
  });

  it('shapes the body with the slack preset and with a custom JSONata expression', async () => {
    const slack = await receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, slack.url, { transform: { preset: 'slack' } });
    const custom = await receiver();
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: custom.url, event_types: ['*'], verify: false, transform: { jsonata: '{"event_id": id, "kind": type, "name": data.name}' } });
    const { id } = await publish(stack, tenantId, { type: 'content.published', data: { name: 'Spring launch' } });
    const [slackRequest] = await slack.waitFor(1);
    const message = JSON.parse(slackRequest!.body);
    assert.equal(typeof message.text, 'string');
    assert.match(message.text, /content\.published/);
    const [customRequest] = await custom.waitFor(1);
    assert.deepEqual(JSON.parse(customRequest!.body), { event_id: id, kind: 'content.published', name: 'Spring launch' });
  });

  it('refuses a transform that fails its dry run, and fails a delivery whose transform breaks with transform_error and no retry', async () => {
    const hook = await receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url);
    const bad = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: hook.url, event_types: ['*'], transform: { jsonata: '{"a": ' } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.errors[0].path, /^transform/);

    const neverCalled = await receiver();
    const breaking = await stack.api('POST', '/v1/endpoints', {
      tenant_id: tenantId,
      url: neverCalled.url,
      event_types: ['order.*'],
      verify: false,
      retry: { delays: ['1s', '1s'] },
      transform: { jsonata: 'data.total = 0 ? $error("an order without a total") : {"total": data.total}' },
    });
    assert.equal(breaking.status, 201, JSON.stringify(breaking.body));
    const { deliveries } = await publish(stack, tenantId, { type: 'order.created', data: { total: 0 } });
    const detail = await waitForStatus(stack, deliveries.find((d) => d.endpoint_id === breaking.body.id)!.id, 'failed');
    assert.equal(detail.reason, 'transform_error');
    assert.equal(detail.attempts.length, 1);
    assert.equal(detail.attempts[0].error.code, 'transform_error');
    assert.equal(neverCalled.requests.length, 0);
  });

  it('validates data against the event type schema on publish, naming the failing path', async () => {
    const { tenantId } = await createTenantWithEndpoint(stack, 'http://127.0.0.1:9/x');
    const created = await stack.api('POST', '/v1/event-types', {
      name: 'export.completed',
      description: 'An export finished',
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'object', properties: { size: { type: 'integer' } } } } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const before = await eventCount(stack, tenantId);
    const res = await stack.api('POST', '/v1/events', { tenant_id: tenantId, type: 'export.completed', data: { file: { size: 'big' } } });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].path, 'data.file.size');
    assert.equal(await eventCount(stack, tenantId), before);
    const ok = await stack.api('POST', '/v1/events', { tenant_id: tenantId, type: 'export.completed', data: { file: { size: 12 } } });
    assert.equal(ok.status, 202);
  });

  it('refuses a published event of a system type', async () => {
    const { tenantId } = await createTenantWithEndpoint(stack, 'http://127.0.0.1:9/x');
    const res = await stack.api('POST', '/v1/events', { tenant_id: tenantId, type: 'webhook.failed', data: {} });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].path, 'type');
  });

  it('checks each event of a batch against its own tenant and type, and routes it to its own tenant\'s endpoints', async () => {
    const everything = await receiver();
    const { tenantId: first } = await createTenantWithEndpoint(stack, everything.url);
    const paidOnly = await receiver();
    const subscribed = await stack.api('POST', '/v1/endpoints', { tenant_id: first, url: paidOnly.url, event_types: ['invoice.settled'], verify: false });
    assert.equal(subscribed.status, 201, JSON.stringify(subscribed.body));
    const other = await receiver();
    const { tenantId: second } = await createTenantWithEndpoint(stack, other.url);
    const created = await stack.api('POST', '/v1/event-types', {
      name: 'invoice.settled',
      description: 'An invoice was paid in full',
      schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const good = [
      { tenant_id: first, type: 'design.exported', data: {} },
      { tenant_id: first, type: 'invoice.settled', data: { amount: 12 } },
      { tenant_id: second, type: 'invoice.settled', data: { amount: 7 } },
    ];
    const before = (await eventCount(stack, first)) + (await eventCount(stack, second));

    const faulty = await stack.api('POST', '/v1/events/batch', {
      events: [good[0], { ...good[1], data: { amount: 'twelve' } }, good[2], { ...good[0], tenant_id: 'tnt_00000000000000000000000000' }],
    });
    assert.equal(faulty.status, 422);
    assert.deepEqual(faulty.body.errors.map((e: { path: string }) => e.path), ['events.1.data.amount', 'events.3.tenant_id']);
    assert.equal((await eventCount(stack, first)) + (await eventCount(stack, second)), before);

    const accepted = await stack.api('POST', '/v1/events/batch', { events: good });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.deepEqual(accepted.body.data.map((e: { deliveries: unknown[] }) => e.deliveries.length), [1, 2, 1]);
    const [everythingGot, paidGot, otherGot] = await Promise.all([everything.waitFor(2), paidOnly.waitFor(1), other.waitFor(1)]);
    assert.deepEqual(everythingGot!.map((r) => JSON.parse(r.body).type).sort(), ['design.exported', 'invoice.settled']);
    assert.deepEqual(paidGot!.map((r) => JSON.parse(r.body).data), [{ amount: 12 }]);
    assert.deepEqual(otherGot!.map((r) => JSON.parse(r.body).data), [{ amount: 7 }]);
  });

  it('ingests a batch whole, or nothing of it when one event is invalid or too large', async () => {
    const hook = await receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url);
    const good = Array.from({ length: 100 }, (_, n) => ({ tenant_id: tenantId, type: 'design.exported', data: { n } }));
    const before = await eventCount(stack, tenantId);

    const tooMany = await stack.api('POST', '/v1/events/batch', { events: [...good, good[0]] });
    assert.equal(tooMany.status, 422);
    const oneBad = await stack.api('POST', '/v1/events/batch', { events: [good[0], { ...good[1], type: 'not a type' }] });
    assert.equal(oneBad.status, 422);
    assert.equal(oneBad.body.errors[0].path, 'events.1.type');
    const oneLarge = await stack.api('POST', '/v1/events/batch', { events: [good[0], { ...good[1], data: { blob: 'x'.repeat(300 * 1024) } }] });
    assert.equal(oneLarge.status, 413);
    assert.equal(await eventCount(stack, tenantId), before);

    const accepted = await stack.api('POST', '/v1/events/batch', { events: good });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.data.length, 100);
    await hook.waitFor(100, 60_000);
    assert.equal(await eventCount(stack, tenantId), before + 100);
  });
});
