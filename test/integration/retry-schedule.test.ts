import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond } from '../helpers/receiver';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';

describe('the retry schedule', () => {
  const harness = useStack();
  const receiver = harness.receiver;
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  it('retries a receiver that fails twice at the scheduled spacing, with one delivery id, all in the log', async () => {
    const hook = await receiver(respond(500, 'boom'), respond(503), respond(200, 'ok'));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s', '2s'] } });
    const { deliveries } = await publish(stack, tenantId);
    const requests = await hook.waitFor(3);

    assert.ok(requests[1]!.at - requests[0]!.at >= 950, `first retry came after ${requests[1]!.at - requests[0]!.at} ms`);
    assert.ok(requests[2]!.at - requests[1]!.at >= 1950, `second retry came after ${requests[2]!.at - requests[1]!.at} ms`);
    assert.deepEqual(new Set(requests.map((r) => r.headers['webhook-id'])), new Set([deliveries[0]!.id]));

    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.deepEqual(detail.attempts.map((a: { response: { status: number } }) => a.response.status), [500, 503, 200]);
    assert.deepEqual(detail.attempts.map((a: { number: number }) => a.number), [1, 2, 3]);
    assert.equal(detail.attempts[0].error.code, 'http_status');
    assert.equal(detail.attempts[0].response.body, 'boom');
  });

  it('ends failed when the schedule is exhausted and lists the delivery under status=failed', async () => {
    const hook = await receiver(respond(500));
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s'] } });
    const { deliveries } = await publish(stack, tenantId);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'failed');
    assert.equal(detail.attempts.length, 2);
    assert.equal(detail.next_attempt_at, null);

    const listed = await eventually(async () => {
      const res = await stack.api('GET', `/v1/deliveries?status=failed&endpoint_id=${endpoint.id}`);
      return res.body.data.length > 0 ? res.body.data : undefined;
    });
    assert.equal(listed[0].id, deliveries[0]!.id);
    assert.equal(listed[0].status, 'failed');
    assert.equal((await stack.api('GET', `/v1/endpoints/${endpoint.id}`)).body.health, 'failing');
  });

  it('attempts at once on retry-now instead of waiting out a long delay', async () => {
    const hook = await receiver(respond(500), respond(200));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    const waiting = await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    assert.ok(Date.parse(waiting.next_attempt_at) - Date.now() > 50 * 60_000);

    const retry = await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/retry`);
    assert.equal(retry.status, 202);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.deepEqual(detail.attempts.map((a: { trigger: string }) => a.trigger), ['scheduled', 'manual']);
  });

  it('stops a retrying delivery on cancel', async () => {
    const hook = await receiver(respond(500));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    assert.equal((await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/cancel`)).status, 202);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'cancelled');
    assert.equal(detail.attempts.length, 1);
    assert.equal(hook.requests.length, 1);
    assert.equal((await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/cancel`)).status, 409);
  });

  it('runs an ended delivery again on manual retry, adding attempts to the same log', async () => {
    const hook = await receiver(respond(500), respond(200));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { preset: 'none' } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'failed');

    assert.equal((await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/retry`)).status, 202);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.deepEqual(
      detail.attempts.map((a: { number: number; trigger: string; response: { status: number } }) => [a.number, a.trigger, a.response.status]),
      [
        [1, 'scheduled', 500],
        [2, 'manual', 200],
      ],
    );
    assert.equal(hook.requests[0]!.headers['webhook-id'], hook.requests[1]!.headers['webhook-id']);
  });

  it('lists deliveries by each status as their details show it, a success after a retry included', async () => {
    const statusOf = async (id: string) => (await stack.api('GET', `/v1/deliveries/${id}`)).body.status;
    const make = async (script: Parameters<typeof receiver>, endpoint: Record<string, unknown>) => {
      const { tenantId } = await createTenantWithEndpoint(stack, (await receiver(...script)).url, endpoint);
      return { tenantId, id: (await publish(stack, tenantId)).deliveries[0]!.id };
    };
    const succeeded = await make([respond(200)], {});
    const retriedThenSucceeded = await make([respond(500), respond(200)], { retry: { delays: ['1s'] } });
    const retrying = await make([respond(500)], { retry: { delays: ['1h'] } });
    const failed = await make([respond(500)], { retry: { preset: 'none' } });
    const cancelled = await make([respond(500)], { retry: { delays: ['1h'] } });
    await waitForStatus(stack, cancelled.id, 'retrying');
    await stack.api('POST', `/v1/deliveries/${cancelled.id}/cancel`);
    const expected: Record<string, string[]> = {
      succeeded: [succeeded.id, retriedThenSucceeded.id],
      retrying: [retrying.id],
      failed: [failed.id],
      cancelled: [cancelled.id],
    };
    for (const [status, ids] of Object.entries(expected)) for (const id of ids) await waitForStatus(stack, id, status);

    const mine = new Set(Object.values(expected).flat());
    for (const [status, ids] of Object.entries(expected)) {
      const listed = await eventually(async () => {
        const res = await stack.api('GET', `/v1/deliveries?status=${status}&limit=100`);
        const found = res.body.data.filter((d: { id: string }) => mine.has(d.id));
        return found.length === ids.length ? found : undefined;
      });
      assert.deepEqual(listed.map((d: { id: string }) => d.id).sort(), [...ids].sort(), status);
      for (const d of listed) assert.equal(d.status, await statusOf(d.id), `${d.id} lists as ${d.status}`);
    }
  });
});
