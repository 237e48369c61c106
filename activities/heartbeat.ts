import { Context } from '@temporalio/activity';

/** How often a running attempt tells Temporal it is alive; the SDK throttles what it sends. */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Runs `work` inside an activity while heartbeating, so that a worker killed mid-attempt is
 * noticed after the activity's heartbeat timeout (seconds), not its start-to-close timeout.
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
