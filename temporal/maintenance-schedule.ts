import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { maintenanceWorkflow } from '../workflows/maintenance';

/**
 * Creates (or re-points) the Temporal Schedule that runs Herald's periodic checks: auto-disable,
 * event retention and the outbox sweep. Every worker calls this at start; the schedule id is
 * per task queue, so exactly one schedule exists however many workers run.
 */
export async function ensureMaintenanceSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<string> {
  const scheduleId = `herald-maintenance-${taskQueue}`;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'maintenanceWorkflow' as const,
    args: [] as Parameters<typeof maintenanceWorkflow>,
    taskQueue,
    workflowId: `${scheduleId}-run`,
  };
  const spec = { intervals: [{ every: intervalMs }] };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: 'SKIP', catchupWindow: '1m' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // The interval may have changed in configuration since the schedule was made.
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
  return scheduleId;
}
