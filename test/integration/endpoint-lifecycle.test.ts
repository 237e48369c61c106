import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond } from '../helpers/receiver';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';

describe('the life of an endpoint', () => {
  const harness = useStack();
  const receiver = harness.receiver;
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  it('waits at least as long as a 429 Retry-After asks before the next attempt', async () => {
    const hook = await receiver(respond(429, '', { 'retry-after': '3' }), respond(200));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s'] } });
    const { deliveries } = await publish(stack, tenantId);
    const [first, second] = await hook.waitFor(2);
    assert.ok(second!.at - first!.at >= 2900, `retried after ${second!.at - first!.at} ms`);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
  });

  it('stops at a 410 Gone and disables the endpoint with reason gone', async () => {
    const hook = await receiver(respond(410));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s', '1s'] } });
    const { deliveries } = await publish(stack, tenantId);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'failed');
    assert.equal(detail.attempts.length, 1);
    const ep = (await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body;
    assert.deepEqual([ep.status, ep.disabled_reason], ['disabled', 'gone']);
  });

  it('cancels a retrying delivery at its next attempt once the endpoint is disabled', async () => {
    const hook = await receiver(respond(500));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['2s'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    assert.equal((await stack.api('POST', `/v1/endpoints/${endpoint.id}/disable`)).body.status, 'disabled');
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'cancelled');
    assert.equal(hook.requests.length, 1);
    assert.match(detail.reason, /disabled/);
  });

  it('replays after re-enabling exactly the events published while disabled, once even when asked twice at once', async () => {
    const hook = await receiver();
    const since = new Date().toISOString();
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url);
    await publish(stack, tenantId, { data: { n: 'before' } });
    await hook.waitFor(1);
    await stack.api('POST', `/v1/endpoints/${endpoint.id}/disable`);
    const whileDisabled = [];
    for (const n of [1, 2, 3]) whileDisabled.push((await publish(stack, tenantId, { data: { n } })).id);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hook.requests.length, 1);

    await stack.api('POST', `/v1/endpoints/${endpoint.id}/enable`);
    const [a, b] = await Promise.all([
      stack.api('POST', `/v1/endpoints/${endpoint.id}/replay`, { since, status: 'not_delivered' }),
      stack.api('POST', `/v1/endpoints/${endpoint.id}/replay`, { since, status: 'not_delivered' }),
    ]);
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    await hook.waitFor(4);
    await new Promise((r) => setTimeout(r, 1500));
    const replayedIds = hook.requests.slice(1).map((r) => JSON.parse(r.body).id);
    assert.deepEqual(replayedIds.sort(), [...whileDisabled].sort());
  });

  it('replays only the failed deliveries of a window with status failed', async () => {
    const hook = await receiver(respond(500), respond(200));
    const since = new Date().toISOString();
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url, { retry: { preset: 'none' } });
    const failed = await publish(stack, tenantId, { data: { n: 'fails' } });
    await waitForStatus(stack, failed.deliveries[0]!.id, 'failed');
    const ok = await publish(stack, tenantId, { data: { n: 'ok' } });
    await waitForStatus(stack, ok.deliveries[0]!.id, 'succeeded');
    await eventually(async () => {
      const list = await stack.api('GET', `/v1/deliveries?status=failed&endpoint_id=${endpoint.id}`);
      return list.body.data.length === 1 ? true : undefined;
    });

    const replay = await stack.api('POST', `/v1/endpoints/${endpoint.id}/replay`, { since, status: 'failed' });
    assert.deepEqual(replay.body.deliveries.map((d: { id: string }) => d.id), [failed.deliveries[0]!.id]);
    const detail = await waitForStatus(stack, failed.deliveries[0]!.id, 'succeeded');
    assert.deepEqual(detail.attempts.map((a: { trigger: string }) => a.trigger), ['scheduled', 'manual']);
  });

  it('signs with both secrets during a rotation grace period and with the new one only after it', async () => {
    const hook = await receiver();
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url);
    const old = (await stack.api('GET', `/v1/endpoints/${endpoint.id}/secret`)).body.secret;
    const rotated = await stack.api('POST', `/v1/endpoints/${endpoint.id}/secret/rotate`, { grace_period: '2s' });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, old);
    assert.equal(rotated.body.previous[0].secret, old);

    await publish(stack, tenantId);
    const [during] = await hook.waitFor(1);
    for (const secret of [old, rotated.body.secret]) new Webhook(secret).verify(during!.body, during!.headers as Record<string, string>);

    await new Promise((r) => setTimeout(r, 2100));
    assert.deepEqual((await stack.api('GET', `/v1/endpoints/${endpoint.id}/secret`)).body.previous, []);
    await publish(stack, tenantId);
    const afterGrace = (await hook.waitFor(2))[1]!;
    new Webhook(rotated.body.secret).verify(afterGrace.body, afterGrace.headers as Record<string, string>);
    assert.throws(() => new Webhook(old).verify(afterGrace.body, afterGrace.headers as Record<string, string>));
  });

  it('keeps a new endpoint pending until a verification request succeeds', async () => {
    const hook = await receiver(respond(500), respond(204));
    const tenant = await stack.api('POST', '/v1/tenants', { name: 'V', alert_email: 'v@v.example' });
    const created = await stack.api('POST', '/v1/endpoints', { tenant_id: tenant.body.id, url: hook.url, event_types: ['*'] });
    assert.equal(created.body.status, 'pending_verification');
    assert.equal(JSON.parse(hook.requests[0]!.body).type, 'webhook.verification');
    assert.equal((await publish(stack, tenant.body.id)).deliveries.length, 0);

    const verified = await stack.api('POST', `/v1/endpoints/${created.body.id}/verify`);
    assert.equal(verified.body.endpoint.status, 'active');
    assert.equal(verified.body.verification.status, 204);
    assert.equal((await publish(stack, tenant.body.id)).deliveries.length, 1);
  });

  it('sends a test event now and answers with the attempt', async () => {
    const hook = await receiver(respond(202, 'accepted'));
    const { endpoint } = await createTenantWithEndpoint(stack, hook.url, { event_types: ['design.exported'] });
    const res = await stack.api('POST', `/v1/endpoints/${endpoint.id}/test`, { data: { design_id: 'd_test' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 202);
    assert.equal(res.body.response.body, 'accepted');
    assert.equal(res.body.event_type, 'design.exported');
    assert.ok(res.body.duration_ms >= 0);
    assert.deepEqual(JSON.parse(hook.requests[0]!.body).data, { design_id: 'd_test' });
  });
});
