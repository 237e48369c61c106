// The baseline: the least a Temporal webhook sender can do, one workflow running one activity
// that POSTs. Deterministic workflow code only: no Node built-ins, no I/O.
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

// The same activity options as Herald's delivery workflow, so both pay for the same retries.
const { postOnce } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '90s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** POSTs to `url` once and returns the receiver's status. */
export async function baselineWorkflow(url: string): Promise<number> {
  return postOnce(url, workflowInfo().workflowId);
}

// The design floor: what Herald's delivery shape costs at the least, a workflow whose one local
// activity POSTs, started eagerly by a client in the worker's own process (bench/floor/runner.ts).
const { postOnce: postOnceLocally } = proxyLocalActivities<BaselineActivities>({
  startToCloseTimeout: '90s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** POSTs to `url` once, inside the workflow task, and returns the receiver's status. */
export async function floorWorkflow(url: string): Promise<number> {
  return postOnceLocally(url, workflowInfo().workflowId);
}
