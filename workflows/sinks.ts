import type { Sinks } from '@temporalio/workflow';

/**
 * What workflows tell the worker process without touching history: metrics. Sinks are not called
 * while a workflow replays, so a delivery that ends is counted once, however often it is replayed.
 */
export interface HeraldSinks extends Sinks {
  metrics: {
    deliveryEnded(status: string): void;
    deliveryStalled(): void;
  };
}
