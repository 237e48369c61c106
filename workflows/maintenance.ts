import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from './activity-types';

const { disableLongFailingEndpoints, deleteExpiredEvents, startStrandedDeliveries } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
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
