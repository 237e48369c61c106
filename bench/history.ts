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

/** Mean milliseconds spent in each step from publish to receipt, read from workflow histories. */
export interface LatencyBreakdown {
  sampled: number;
  /** Publish request sent until the workflow was started (the API's work, incl. the start RPC). */
  publish_to_workflow_start: number;
  /** Workflow started until its first workflow task reached the worker (server dispatch). */
  workflow_start_to_first_task: number;
  /** The worker running that task and answering (sandbox activation + completion RPC). */
  first_task: number;
  /** The activity scheduled (task completed) until a worker started it (server dispatch). */
  task_to_activity_start: number;
  /** Activity started until the receiver had the request (DB reads, signing, HTTP). */
  activity_start_to_receipt: number;
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
  const sums = { publish_to_workflow_start: 0, workflow_start_to_first_task: 0, first_task: 0, task_to_activity_start: 0, activity_start_to_receipt: 0 };
  let n = 0;
  for (const id of ids.filter((_, i) => i % step === 0).slice(0, sample)) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const first = (kind: string) => ms((history.events ?? []).find((e) => kindOf(e) === kind)?.eventTime as Timestamp);
    const started = first('WorkflowExecutionStarted');
    const taskStarted = first('WorkflowTaskStarted');
    const taskCompleted = first('WorkflowTaskCompleted');
    const activityStarted = first('ActivityTaskStarted');
    if (started === undefined || taskStarted === undefined || taskCompleted === undefined || activityStarted === undefined) continue;
    sums.publish_to_workflow_start += started - sentAt.get(id)!;
    sums.workflow_start_to_first_task += taskStarted - started;
    sums.first_task += taskCompleted - taskStarted;
    sums.task_to_activity_start += activityStarted - taskCompleted;
    sums.activity_start_to_receipt += receivedAt.get(id)! - activityStarted;
    n++;
  }
  if (n === 0) return null;
  const mean = (v: number) => Math.round((v / n) * 10) / 10;
  return {
    sampled: n,
    publish_to_workflow_start: mean(sums.publish_to_workflow_start),
    workflow_start_to_first_task: mean(sums.workflow_start_to_first_task),
    first_task: mean(sums.first_task),
    task_to_activity_start: mean(sums.task_to_activity_start),
    activity_start_to_receipt: mean(sums.activity_start_to_receipt),
  };
}
