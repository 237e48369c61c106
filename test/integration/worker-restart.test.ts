import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond, startReceiver, type Receiver } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

describe('a worker restart', () => {
  let stack: Stack;
  let receiver: Receiver;
  before(async () => {
    stack = await startStack();
    receiver = await startReceiver(respond(500), respond(200));
  });
  after(async () => {
    await receiver.close();
    await stack.stop();
  });

  it('loses nothing: a delivery waiting on its retry timer completes on the new worker', async () => {
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url, { retry: { delays: ['3s'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');

    await stack.stopWorker();
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(receiver.requests.length, 1, 'no attempt can happen while no worker runs');

    await stack.startWorker();
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.equal(detail.attempts.length, 2);
    assert.equal(receiver.requests.length, 2);
  });
});
