// Counts workflow history events for a sample of workflows: history size drives server work,
// and a replay after a cache eviction re-runs all of it.
import type { Client } from '@temporalio/client';

export interface HistoryCounts {
  sampled: number;
  events_per_workflow: number;
  /** Mean count per workflow by event kind, e.g. WorkflowTaskCompleted: 3. */
  by_kind: Record<string, number>;
}

const SUFFIX = 'EventAttributes';

/** The event kind, read from which `...EventAttributes` field is set (no protobuf enum needed). */
function kindOf(event: object): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith(SUFFIX) && value != null) {
      const name = key.slice(0, -SUFFIX.length);
      return name.charAt(0).toUpperCase() + name.slice(1);
    }
  }
  return 'Unknown';
}

export async function countHistories(client: Client, workflowIds: string[], sample = 20): Promise<HistoryCounts | null> {
  const step = Math.max(1, Math.floor(workflowIds.length / sample));
  const chosen = workflowIds.filter((_, i) => i % step === 0).slice(0, sample);
  if (chosen.length === 0) return null;
  const kinds = new Map<string, number>();
  let total = 0;
  for (const id of chosen) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    for (const event of history.events ?? []) {
      total++;
      const kind = kindOf(event);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  const mean = (n: number) => Math.round((n / chosen.length) * 10) / 10;
  return {
    sampled: chosen.length,
    events_per_workflow: mean(total),
    by_kind: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, mean(n)])),
  };
}

/**
 * Mean milliseconds spent in each step from publish to receipt, read from workflow histories. A
 * delivery's attempt is a local activity, run inside the first workflow task (`task_start_to_receipt`);
 * the bare workflow's is an activity, dispatched after that task (the last three steps). Steps a shape
 * does not have are null.
 */
export interface LatencyBreakdown {
  sampled: number;
  /** Publish request sent until the workflow was started (the API's work, incl. the start RPC). */
  publish_to_workflow_start: number;
  /** Workflow started until its first workflow task reached the worker (server dispatch). */
  workflow_start_to_first_task: number;
  /**
   * Local activity: the first task started until the receiver had the request. A task handed back
   * in the start response (eager start) is stamped started as the workflow starts, so this also
   * holds the server storing the start and answering, then the activation and the attempt itself.
   */
  task_start_to_receipt: number | null;
  /** Activity: the worker running the first task and answering (sandbox activation + completion RPC). */
  first_task: number | null;
  /** Activity: scheduled (task completed) until a worker started it (server dispatch). */
  task_to_activity_start: number | null;
  /** Activity: started until the receiver had the request (DB reads, signing, HTTP). */
  activity_start_to_receipt: number | null;
}

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
const ms = (t: Timestamp) => (t?.seconds == null ? undefined : Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6);

/** Uses the first attempt of each sampled workflow; `sentAt` and `receivedAt` are epoch ms. */
export async function latencyBreakdown(
  client: Client,
  sentAt: Map<string, number>,
  receivedAt: Map<string, number>,
  sample = 20,
): Promise<LatencyBreakdown | null> {
  const ids = [...sentAt.keys()].filter((id) => receivedAt.has(id));
  const step = Math.max(1, Math.floor(ids.length / sample));
  const sums = { publish_to_workflow_start: 0, workflow_start_to_first_task: 0, task_start_to_receipt: 0, first_task: 0, task_to_activity_start: 0, activity_start_to_receipt: 0 };
  let local = 0;
  let remote = 0;
  for (const id of ids.filter((_, i) => i % step === 0).slice(0, sample)) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const first = (kind: string) => ms((history.events ?? []).find((e) => kindOf(e) === kind)?.eventTime as Timestamp);
    const started = first('WorkflowExecutionStarted');
    const taskStarted = first('WorkflowTaskStarted');
    const received = receivedAt.get(id)!;
    if (started === undefined || taskStarted === undefined) continue;
    const activityStarted = first('ActivityTaskStarted');
    if (activityStarted === undefined) {
      sums.task_start_to_receipt += received - taskStarted;
      local++;
    } else {
      const taskCompleted = first('WorkflowTaskCompleted');
      if (taskCompleted === undefined) continue;
      sums.first_task += taskCompleted - taskStarted;
      sums.task_to_activity_start += activityStarted - taskCompleted;
      sums.activity_start_to_receipt += received - activityStarted;
      remote++;
    }
    sums.publish_to_workflow_start += started - sentAt.get(id)!;
    sums.workflow_start_to_first_task += taskStarted - started;
  }
  const n = local + remote;
  if (n === 0) return null;
  const mean = (v: number, count = n) => (count === 0 ? null : Math.round((v / count) * 10) / 10);
  return {
    sampled: n,
    publish_to_workflow_start: mean(sums.publish_to_workflow_start)!,
    workflow_start_to_first_task: mean(sums.workflow_start_to_first_task)!,
    task_start_to_receipt: mean(sums.task_start_to_receipt, local),
    first_task: mean(sums.first_task, remote),
    task_to_activity_start: mean(sums.task_to_activity_start, remote),
    activity_start_to_receipt: mean(sums.activity_start_to_receipt, remote),
  };
}
