import type { Sinks } from '@temporalio/workflow';

/**
 * What workflows tell the worker process without touching history. Sinks are not called while a
 * workflow replays (unless the worker asks for it), so a delivery that ends is counted once,
 * however often it is replayed.
 */
export interface HeraldSinks extends Sinks {
  metrics: {
    deliveryEnded(status: string): void;
    deliveryStalled(): void;
  };
  /** worker/sticky-release.ts: which cached runs wait on a timer (and so may be evicted while they wait). */
  cache: {
    timerStarted(): void;
  };
}
