import type { WorkflowInfo } from '@temporalio/workflow';
import { coresdk } from '@temporalio/proto';

const { EvictionReason } = coresdk.workflow_activation.RemoveFromCache;

/** Resets in flight at once; the rest queue (an eviction burst comes with a publishing burst). */
const MAX_IN_FLIGHT = 8;
/** Beyond this many queued resets, more are dropped: their runs just stay sticky (slower, not wrong). */
const MAX_QUEUED_RELEASES = 20_000;

export interface RunExecution {
  workflowId: string;
  runId: string;
}
export type ReleaseResult = 'released' | 'failed' | 'dropped';

export interface StickyReleaseDeps {
  /** Tells the Temporal server to forget the run's sticky queue (ResetStickyTaskQueue). */
  resetStickyQueue(execution: RunExecution): Promise<unknown>;
  /** Each release's result; `failed` with the error (a run that ended meanwhile has nothing to release). */
  counted(result: ReleaseResult, execution: RunExecution, err?: unknown): void;
  /** How many waiting runs to remember at most: a few times the worker's cache size. */
  maxTracked: number;
}

/**
 * Temporal sends a workflow's next task to the sticky queue of the worker that ran its last one,
 * expecting that worker to hold it in cache. A worker with more waiting runs than its cache holds
 * (a backlog of retries due at one Retry-After instant, say) evicts them, but the server still
 * sends each woken run to that worker's sticky queue; they flood it, and those not taken within
 * the sticky timeout (10 s) time out (WorkflowTaskTimedOut) and are scheduled again on the shared
 * queue: more of the server's work for each of them, and other workers cannot help meanwhile.
 *
 * So when the cache evicts a run for room while it waits on a timer, this tells the server to
 * forget the run's sticky queue (ResetStickyTaskQueue): its next task goes to the shared queue,
 * where any worker may take it. A fresh delivery never waits, so it never costs a reset.
 */
export class StickyRelease {
  /** Cached runs known to have started a timer: run id to workflow id (the reset needs both). */
  private readonly waiting = new Map<string, string>();
  /** Resets waiting for a slot, oldest first from `head` (no Array.shift over a long queue). */
  private queue: RunExecution[] = [];
  private head = 0;
  private inFlight = 0;

  constructor(private readonly deps: StickyReleaseDeps) {}

  /** From the workflow's `cache.timerStarted` sink (workflows/interceptors.ts), replays included. */
  timerStarted(info: Pick<WorkflowInfo, 'runId' | 'workflowId'>): void {
    this.waiting.delete(info.runId);
    this.waiting.set(info.runId, info.workflowId);
    // Every cached run is evicted eventually (completion, room, shutdown), which forgets it; this
    // only bounds the map should an eviction ever go unreported.
    if (this.waiting.size > this.deps.maxTracked) this.waiting.delete(this.waiting.keys().next().value as string);
  }

  /** Every eviction from the worker's cache, whatever the reason. */
  evicted(runId: string, reason: number | null | undefined): void {
    const workflowId = this.waiting.get(runId);
    if (workflowId === undefined) return;
    this.waiting.delete(runId);
    if (reason !== EvictionReason.CACHE_FULL) return;
    if (this.queue.length - this.head >= MAX_QUEUED_RELEASES) {
      this.deps.counted('dropped', { workflowId, runId });
      return;
    }
    this.queue.push({ workflowId, runId });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.head < this.queue.length) {
      const execution = this.queue[this.head++]!;
      // Drop what was taken once it is most of the array, so a long burst does not keep it all.
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.inFlight++;
      this.deps
        .resetStickyQueue(execution)
        .then(
          () => this.deps.counted('released', execution),
          (err: unknown) => this.deps.counted('failed', execution, err),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
