// Starts bare baseline workflows as fast as the Temporal client allows and follows each to the receiver.
import type { Client } from '@temporalio/client';
import type { baselineWorkflow } from './baseline/workflows';
import { closedLoop, nowMs, paced } from './load';

const MAX_IN_FLIGHT = 64;
import { progress } from './progress';
import type { Receiver } from './receiver-client';
import { percentiles, perSecond, type Percentiles } from './stats';
import { waitUntil } from './wait';

export interface BaselineResult {
  workflows: number;
  completed: number;
  start_errors: number;
  first_error?: string;
  timed_out: boolean;
  seconds: number;
  starts_per_s: number;
  workflows_per_s: number;
  latency_ms: Percentiles | null;
}

export async function runBaselineLoad(opts: {
  client: Client;
  receiver: Receiver;
  taskQueue: string;
  runId: string;
  count: number;
  /** Starters in flight (as fast as possible), unless `ratePerS` paces the starts. */
  concurrency: number;
  ratePerS?: number;
  deadline: number;
}): Promise<{ result: BaselineResult; startedAt: Map<string, number> }> {
  const { client, receiver } = opts;
  const startedAt = new Map<string, number>();
  const waiting = new Set<string>();
  const url = `${receiver.url}/baseline`;
  const completed = () => {
    for (const id of waiting) if (receiver.okAt.has(id)) waiting.delete(id);
    return startedAt.size - waiting.size;
  };
  const stopProgress = progress(() => `baseline: started ${startedAt.size}/${opts.count}, completed ${completed()}`);
  const startOne = async (i: number) => {
    const workflowId = `${opts.runId}_${i}`;
    const sent = nowMs();
    await client.workflow.start<typeof baselineWorkflow>('baselineWorkflow', { workflowId, taskQueue: opts.taskQueue, args: [url] });
    startedAt.set(workflowId, sent);
    waiting.add(workflowId);
  };
  const load = await (opts.ratePerS
    ? paced(opts.count, opts.ratePerS, MAX_IN_FLIGHT, opts.deadline, startOne)
    : closedLoop(opts.count, opts.concurrency, opts.deadline, startOne)
  ).finally(stopProgress);
  const stopProgress2 = progress(() => `baseline: completed ${completed()}/${startedAt.size}`);
  await waitUntil(() => completed() >= startedAt.size, opts.deadline, 100).finally(stopProgress2);

  const latencies: number[] = [];
  let last = load.startedAt;
  for (const [id, sent] of startedAt) {
    const at = receiver.okAt.get(id);
    if (at === undefined) continue;
    latencies.push(at - sent);
    last = Math.max(last, at);
  }
  const result: BaselineResult = {
    workflows: startedAt.size,
    completed: latencies.length,
    start_errors: load.errors,
    timed_out: latencies.length < opts.count,
    seconds: Math.round(last - load.startedAt) / 1000,
    starts_per_s: perSecond(load.done, load.endedAt - load.startedAt),
    workflows_per_s: perSecond(latencies.length, last - load.startedAt),
    latency_ms: percentiles(latencies),
  };
  if (load.firstError !== undefined) result.first_error = load.firstError;
  return { result, startedAt };
}
