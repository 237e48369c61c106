import { proxySinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { HeraldSinks } from './sinks';

const { cache } = proxySinks<HeraldSinks>();

/**
 * Tells the worker about every timer a workflow starts (a retry, a rate-limit wait, a stall), so
 * that a run evicted from the worker's cache while it waits can be released from that worker's
 * sticky queue (worker/sticky-release.ts). A sink call: nothing is added to the history.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      startTimer(input, next) {
        cache.timerStarted();
        return next(input);
      },
    },
  ],
});
