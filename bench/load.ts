// Load shapes: as fast as a fixed number of callers allows, or paced at a fixed rate.
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadResult {
  done: number;
  errors: number;
  firstError: string | undefined;
  /** Epoch ms of the first call and of the end of the last one. */
  startedAt: number;
  endedAt: number;
}

export const nowMs = () => performance.timeOrigin + performance.now();

/** Calls `fn(0..count-1)` with at most `concurrency` calls in flight. */
export async function closedLoop(count: number, concurrency: number, deadline: number, fn: (i: number) => Promise<void>): Promise<LoadResult> {
  const result: LoadResult = { done: 0, errors: 0, firstError: undefined, startedAt: nowMs(), endedAt: 0 };
  let next = 0;
  const caller = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      await fn(i).then(
        () => void result.done++,
        (err: Error) => {
          result.errors++;
          result.firstError ??= err.message;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, caller));
  result.endedAt = nowMs();
  return result;
}

/**
 * Starts call i at start + i / rate (an open loop: a slow answer does not delay the next call),
 * with at most `maxInFlight` outstanding so a stalled server cannot pile up requests unboundedly.
 */
export async function paced(count: number, ratePerS: number, maxInFlight: number, deadline: number, fn: (i: number) => Promise<void>): Promise<LoadResult & { lateStarts: number }> {
  const result = { done: 0, errors: 0, firstError: undefined as string | undefined, startedAt: nowMs(), endedAt: 0, lateStarts: 0 };
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const due = result.startedAt + (i * 1000) / ratePerS;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (nowMs() - due > 50) result.lateStarts++;
    const call: Promise<void> = fn(i).then(
      () => void result.done++,
      (err: Error) => {
        result.errors++;
        result.firstError ??= err.message;
      },
    );
    const tracked = call.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  result.endedAt = nowMs();
  return result;
}
