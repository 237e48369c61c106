/**
 * Confirms workflow starts in the outbox (deliveries.workflow_started_at) in batches: the starts
 * of a short window share one UPDATE instead of one each. A confirmation lost in a crash costs
 * nothing but a second start by the outbox sweep, which the deterministic workflow id makes a
 * no-op, so nothing waits for it.
 */
export function createStartConfirmations(markStarted: (ids: string[]) => Promise<void>, onError: (err: unknown) => void, windowMs = 20) {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function flush(): void {
    timer = undefined;
    const ids = pending;
    pending = [];
    flushing = flushing.then(() => markStarted(ids)).catch(onError);
  }

  return {
    confirm(ids: string[]): void {
      if (ids.length === 0) return;
      pending.push(...ids);
      timer ??= setTimeout(flush, windowMs);
    },
    /** Writes what is pending now; for shutdown and tests. */
    async drain(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      await flushing;
    },
  };
}
