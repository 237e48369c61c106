import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { coresdk } from '@temporalio/proto';

interface Eviction {
  runId: string;
  evictJob: coresdk.workflow_activation.IRemoveFromCache;
}

/**
 * A Temporal worker that reports each run it evicts from its workflow cache, with the reason.
 * The SDK emits these on a protected emitter (its replayer reads them); a subclass may listen.
 */
export class EvictionAwareWorker extends Worker {
  static async createEvictionAware(options: WorkerOptions): Promise<EvictionAwareWorker> {
    // Worker.create constructs `new this(...)`, so on this class it builds this class.
    return (await this.create(options)) as EvictionAwareWorker;
  }

  onEviction(listener: (runId: string, reason: number | null | undefined) => void): void {
    (this.evictionsEmitter as NodeJS.EventEmitter).on('eviction', ({ runId, evictJob }: Eviction) => listener(runId, evictJob.reason));
  }
}
