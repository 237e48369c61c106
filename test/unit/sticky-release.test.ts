import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coresdk } from '@temporalio/proto';
import { StickyRelease, type ReleaseResult, type RunExecution } from '../../worker/sticky-release';

const { EvictionReason } = coresdk.workflow_activation.RemoveFromCache;

/** A StickyRelease whose server calls are recorded and answered when the test says so. */
function harness(maxTracked = 100) {
  const calls: { execution: RunExecution; settle: (err?: Error) => void }[] = [];
  const results: ReleaseResult[] = [];
  const release = new StickyRelease({
    resetStickyQueue: (execution) =>
      new Promise<void>((resolve, reject) => calls.push({ execution, settle: (err) => (err ? reject(err) : resolve()) })),
    counted: (result) => void results.push(result),
    maxTracked,
  });
  const settled = () => new Promise((r) => setImmediate(r));
  return { release, calls, results, settled };
}

test('releases a run evicted for room while it waits on a timer, once', async () => {
  const { release, calls, results, settled } = harness();
  release.timerStarted({ runId: 'r1', workflowId: 'dlv_1' });
  release.evicted('r1', EvictionReason.CACHE_FULL);
  release.evicted('r1', EvictionReason.CACHE_FULL);
  assert.deepEqual(calls.map((c) => c.execution), [{ workflowId: 'dlv_1', runId: 'r1' }]);
  calls[0]!.settle();
  await settled();
  assert.deepEqual(results, ['released']);
});

test('leaves alone runs that ended, runs evicted for other reasons, and runs that never waited', () => {
  const { release, calls } = harness();
  release.timerStarted({ runId: 'ended', workflowId: 'dlv_1' });
  release.evicted('ended', EvictionReason.WORKFLOW_EXECUTION_ENDING);
  release.evicted('ended', EvictionReason.CACHE_FULL);
  release.evicted('never-waited', EvictionReason.CACHE_FULL);
  assert.equal(calls.length, 0);
});

test('keeps at most 8 resets in flight, goes on as they settle, and counts failures', async () => {
  const { release, calls, results, settled } = harness();
  for (let i = 0; i < 10; i++) release.timerStarted({ runId: `r${i}`, workflowId: `dlv_${i}` });
  for (let i = 0; i < 10; i++) release.evicted(`r${i}`, EvictionReason.CACHE_FULL);
  assert.equal(calls.length, 8);
  calls[0]!.settle(new Error('workflow execution already completed'));
  calls[1]!.settle();
  await settled();
  assert.equal(calls.length, 10);
  for (const call of calls.slice(2)) call.settle();
  await settled();
  assert.deepEqual([results.filter((r) => r === 'failed').length, results.filter((r) => r === 'released').length], [1, 9]);
});

test('remembers at most maxTracked waiting runs, forgetting the oldest', () => {
  const { release, calls } = harness(2);
  for (const id of ['a', 'b', 'c']) release.timerStarted({ runId: id, workflowId: `dlv_${id}` });
  for (const id of ['a', 'b', 'c']) release.evicted(id, EvictionReason.CACHE_FULL);
  assert.deepEqual(calls.map((c) => c.execution.runId), ['b', 'c']);
});

test('works through a long burst of evictions in order', async () => {
  const order: string[] = [];
  const release = new StickyRelease({ resetStickyQueue: async ({ runId }) => void order.push(runId), counted: () => undefined, maxTracked: 5_000 });
  const runs = Array.from({ length: 3_000 }, (_, i) => `r${i}`);
  for (const runId of runs) release.timerStarted({ runId, workflowId: `dlv_${runId}` });
  for (const runId of runs) release.evicted(runId, EvictionReason.CACHE_FULL);
  for (let i = 0; i < 100 && order.length < runs.length; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, runs);
});
