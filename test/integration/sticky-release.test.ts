import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond } from '../helpers/receiver';
import { useStack } from '../helpers/harness';
import type { Stack } from '../helpers/stack';

const { EventType, TaskQueueKind } = temporal.api.enums.v1;
const CACHE_SIZE = 2;

describe('waiting deliveries evicted from a full worker cache', () => {
  const harness = useStack({ HERALD_WORKER_MAX_CACHED_WORKFLOWS: String(CACHE_SIZE) });
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  /** The task queue kind of the workflow task that woke each delivery when its retry timer fired. */
  async function wakeUpQueueKind(deliveryId: string) {
    const history = await stack.deps.temporal.workflow.getHandle(deliveryId).fetchHistory();
    const events = history.events ?? [];
    const fired = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED);
    assert.ok(fired > 0, `${deliveryId} has no fired timer`);
    const scheduled = events.slice(fired).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    return scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
  }

  it('wake up on the shared task queue, not the sticky queue of the worker that dropped them', async () => {
    const count = 6;
    // Every delivery's first attempt meets a 503 that asks for a retry in 4 s; its next one succeeds.
    const hook = await receiverFailingFirstAttempts();
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { delays: ['1s'] } });
    const deliveryIds: string[] = [];
    for (let i = 0; i < count; i++) deliveryIds.push((await publish(stack, tenantId, { data: { n: i } })).deliveries[0]!.id);
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

  /**
   * Keyed by delivery, not by arrival order: on a slow machine a retry may arrive before a later
   * delivery's first attempt, and a script by order would then answer that first attempt 200.
   */
  async function receiverFailingFirstAttempts() {
    const seen = new Set<string>();
    return harness.receiver((req, res) => {
      const deliveryId = String(req.headers['webhook-id']);
      const first = !seen.has(deliveryId);
      seen.add(deliveryId);
      return first ? respond(503, '', { 'retry-after': '4' })(req, res) : respond(200)(req, res);
    });
  }
});
