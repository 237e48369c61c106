import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond } from '../helpers/receiver';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';

describe('pacing and ordering', () => {
  const harness = useStack();
  const receiver = harness.receiver;
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  it('holds a FIFO line behind a retrying delivery and delivers in exact publish order', async () => {
    const hook = await receiver(respond(500), respond(500), respond(200));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { ordering: 'fifo', retry: { delays: ['1s', '1s'] } });
    const published = [];
    for (let n = 1; n <= 5; n++) published.push(await publish(stack, tenantId, { data: { n } }));

    await hook.waitFor(7, 30_000);
    const order = hook.requests.map((r) => JSON.parse(r.body).data.n);
    assert.deepEqual(order, [1, 1, 1, 2, 3, 4, 5]);
    for (const p of published) await waitForStatus(stack, p.deliveries[0]!.id, 'succeeded');
  });

  it('lets the FIFO line move on when the delivery at its head is cancelled', async () => {
    const hook = await receiver(respond(500), respond(200));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { ordering: 'fifo', retry: { delays: ['1h'] } });
    const first = await publish(stack, tenantId, { data: { n: 1 } });
    const second = await publish(stack, tenantId, { data: { n: 2 } });
    await waitForStatus(stack, first.deliveries[0]!.id, 'retrying');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hook.requests.length, 1, 'the second delivery waits behind the first');

    await stack.api('POST', `/v1/deliveries/${first.deliveries[0]!.id}/cancel`);
    await waitForStatus(stack, second.deliveries[0]!.id, 'succeeded');
    assert.deepEqual(hook.requests.map((r) => JSON.parse(r.body).data.n), [1, 2]);
  });

  it('spreads deliveries to a rate-limited endpoint as configured and loses none', async () => {
    const hook = await receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { rate_limit: { max: 2, per: '1s' } });
    const published = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => publish(stack, tenantId, { data: { n } })));
    await hook.waitFor(6, 20_000);

    const times = hook.requests.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0; i + 2 < times.length; i++) {
      assert.ok(times[i + 2]! - times[i]! >= 950, `3 sends within ${times[i + 2]! - times[i]!} ms`);
    }
    assert.ok(times.at(-1)! - times[0]! >= 2400, `6 sends at 2 per second took only ${times.at(-1)! - times[0]!} ms`);
    const received = hook.requests.map((r) => JSON.parse(r.body).data.n).sort();
    assert.deepEqual(received, [1, 2, 3, 4, 5, 6]);
    for (const p of published) await waitForStatus(stack, p.deliveries[0]!.id, 'succeeded');
  });
});
