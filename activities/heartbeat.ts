import { Context } from '@temporalio/activity';

/** How often a running attempt tells Temporal it is alive; the SDK throttles what it sends. */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Runs `work` inside an activity while heartbeating, so that a worker killed mid-attempt is
 * noticed after the activity's heartbeat timeout (seconds), not its start-to-close timeout. The
 * same holds for a completion lost on the way (Temporal down when the worker reported it).
 */
export async function withHeartbeats<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** `activities`, each run with heartbeats (withHeartbeats); for activities with a heartbeat timeout. */
export function heartbeating<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, activity] of Object.entries(activities)) wrapped[name] = (...args) => withHeartbeats(() => activity(...args));
  return wrapped as T;
}
