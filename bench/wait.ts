import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `done` until it holds or `deadline` (epoch ms) passes; tells which. Bounded by design. */
export async function waitUntil(done: () => boolean, deadline: number, pollMs = 50): Promise<boolean> {
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** The earlier of a phase's own limit and the run's global deadline. */
export function phaseDeadline(globalDeadline: number, phaseMs: number): number {
  return Math.min(globalDeadline, Date.now() + phaseMs);
}
