import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from './activity-types';

// The schedule skips its runs while one is still going, so an activity whose completion never
// reached Temporal (it was down at that moment) would hold every check, the outbox sweep too, until
// the start-to-close timeout. The activities heartbeat while they work (activities/index.ts), so a
// silent one is retried after the heartbeat timeout instead; 5 minutes stays the cap on real work.
const { disableLongFailingEndpoints, deleteExpiredEvents, startStrandedDeliveries } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

/** One run of Herald's periodic checks, started by the maintenance Temporal Schedule. */
export async function maintenanceWorkflow(): Promise<{ disabled: string[]; expiredEvents: number; strandedDeliveries: number }> {
  const [disabled, expiredEvents, strandedDeliveries] = await Promise.all([
    disableLongFailingEndpoints(),
    deleteExpiredEvents(),
    startStrandedDeliveries(),
  ]);
  return { disabled, expiredEvents, strandedDeliveries };
}
