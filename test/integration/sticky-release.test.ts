import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond } from '../helpers/receiver';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';
import { statusKey } from '../../workflows/search-attributes';

const { EventType, TaskQueueKind } = temporal.api.enums.v1;
const CACHE_SIZE = 2;

describe('waiting deliveries evicted from a full worker cache', () => {
  const harness = useStack({ HERALD_WORKER_MAX_CACHED_WORKFLOWS: String(CACHE_SIZE) });
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  /** The task queue kind of the workflow task that woke each delivery when its last retry timer fired. */
  async function wakeUpQueueKind(deliveryId: string) {
    const history = await stack.deps.temporal.workflow.getHandle(deliveryId).fetchHistory();
    const events = history.events ?? [];
    const fired = events.map((e) => e.eventType).lastIndexOf(EventType.EVENT_TYPE_TIMER_FIRED);
    assert.ok(fired > 0, `${deliveryId} has no fired timer`);
    const scheduled = events.slice(fired).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    return scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
  }

  /** Read from visibility (the server), not by a query, which would load the run into the small cache. */
  async function waitUntilAllRetrying(deliveryIds: string[]) {
    await eventually(async () => {
      const statuses = await Promise.all(deliveryIds.map(async (id) => (await stack.deps.temporal.workflow.getHandle(id).describe()).typedSearchAttributes.get(statusKey)));
      assert.ok(statuses.every((s) => s === 'retrying'), `not all deliveries wait on a retry: ${statuses.join(', ')}`);
      return true;
    }, 20_000);
  }

  it('wake up on the shared task queue, not the sticky queue of the worker that dropped them', async () => {
    const count = 6;
    // The receiver answers 503 with a retry in 4 s until every delivery waits on its retry timer.
    // Not "the first attempt of each": a worker evicting a run for room cancels its attempt in
    // flight (the SDK does), and that attempt is sent again; it must meet the 503 too.
    let receiverBack = false;
    const hook = await harness.receiver((req, res) => (receiverBack ? respond(200) : respond(503, '', { 'retry-after': '4' }))(req, res));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s', '1s', '1s', '1s', '1s', '1s'] } });
    const deliveryIds: string[] = [];
    for (let i = 0; i < count; i++) deliveryIds.push((await publish(stack, tenantId, { data: { n: i } })).deliveries[0]!.id);
    await waitUntilAllRetrying(deliveryIds);
    receiverBack = true;
    for (const id of deliveryIds) await waitForStatus(stack, id, 'succeeded', 30_000);

    const kinds = await Promise.all(deliveryIds.map(wakeUpQueueKind));
    const shared = kinds.filter((k) => k === TaskQueueKind.TASK_QUEUE_KIND_NORMAL).length;
    // At most CACHE_SIZE runs are still cached when their timers fire; every other one was evicted
    // for room, released, and woke on the shared queue.
    assert.ok(shared >= count - CACHE_SIZE, `woke on the shared queue: ${shared} of ${count} (${kinds.join(', ')})`);
    const released = await stack.deps.metrics.registry.getSingleMetric('herald_worker_sticky_releases_total')!.get();
    const releasedCount = released.values.find((v) => v.labels.result === 'released')?.value ?? 0;
    assert.ok(releasedCount >= count - CACHE_SIZE, `released ${releasedCount}`);
  });
});
