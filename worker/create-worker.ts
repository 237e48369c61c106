import type { InjectedSinks, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Herald } from '../composition/herald';
import { ensureMaintenanceSchedule } from '../temporal/maintenance-schedule';
import { ensureSearchAttributes } from '../temporal/search-attribute-registration';
import type { HeraldSinks } from '../workflows/sinks';
import { EvictionAwareWorker } from './eviction-aware-worker';
import { limitHeapGrowth } from './heap-growth';
import { StickyRelease } from './sticky-release';
import { workflowCodeOptions } from './workflow-bundle';

export interface HeraldWorker {
  worker: Worker;
  /** Runs until shutdown; in-flight attempts finish (or are handed back) before it resolves. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A worker on Herald's task queue over the process's dependencies (composition/herald.ts). */
export async function createHeraldWorker(herald: Herald): Promise<HeraldWorker> {
  const { config, connection, metrics } = herald;
  // First: a missing or stale workflow bundle stops the worker before it touches Temporal.
  const workflowCode = workflowCodeOptions(config.workflowBundlePath);
  // A long-lived Temporal server learns Herald's search attributes here; the dev server already
  // has them from its start-up flags, so this is one cheap list call there.
  await ensureSearchAttributes(connection, config.temporal.namespace);
  await ensureMaintenanceSchedule(herald.temporal, config.temporal.taskQueue, config.lifecycle.maintenanceIntervalMs);
  const stickyRelease = new StickyRelease({
    resetStickyQueue: (execution) => herald.temporal.workflowService.resetStickyTaskQueue({ namespace: config.temporal.namespace, execution }),
    counted(result, { workflowId }, err) {
      metrics.stickyReleases.inc({ result });
      if (err !== undefined) herald.logger.debug({ err, workflowId }, 'sticky queue of an evicted run not reset');
    },
    maxTracked: 4 * Math.max(config.maxCachedWorkflows, 1),
  });
  const sinks: InjectedSinks<HeraldSinks> = {
    metrics: {
      deliveryEnded: { fn: (_info, status) => metrics.deliveriesEnded.inc({ status }) },
      deliveryStalled: { fn: () => metrics.deliveriesStalled.inc() },
    },
    // During replay too: a run rebuilt from its history into this cache may be waiting on a timer.
    cache: { timerStarted: { fn: (info) => stickyRelease.timerStarted(info), callDuringReplay: true } },
  };
  // Before the workflow thread starts, so that its heap is held to the same growth.
  limitHeapGrowth();
  const worker = await EvictionAwareWorker.createEvictionAware({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowCode,
    activities: createActivities(herald),
    sinks,
    // An attempt runs inside its workflow task (a local activity), so a slot is held for the whole
    // attempt and the slot count is also the attempts in flight. It is bounded all the same: a
    // task's 10 s timeout runs from the moment the worker takes it, and a worker that takes more
    // tasks than it can finish in that time (a restart amid firing timers, with a cold cache) lets
    // some time out after their POST, and another worker sends that attempt again. Tasks beyond the
    // slots wait on the server instead, where no timeout runs (README, "Configuration").
    maxConcurrentActivityTaskExecutions: config.workerConcurrency,
    maxConcurrentLocalActivityExecutions: config.workerConcurrency,
    maxConcurrentWorkflowTaskExecutions: config.workerConcurrency,
    workflowTaskPollerBehavior: { type: 'autoscaling', maximum: 20 },
    maxCachedWorkflows: config.maxCachedWorkflows,
    shutdownGraceTime: '30s',
  });
  worker.onEviction((runId, reason) => stickyRelease.evicted(runId, reason));
  let running: Promise<void> | undefined;
  return {
    worker,
    run() {
      running ??= worker.run();
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
