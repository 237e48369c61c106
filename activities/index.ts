import { createAttemptDelivery, type AttemptDeps } from './attempt';
import { createDeliveryFailedActivities, type DeliveryFailedDeps } from './delivery-failed';
import { createFifoActivities } from './fifo';
import { createMaintenanceActivities, type MaintenanceDeps } from './maintenance';

export type ActivityDeps = AttemptDeps & DeliveryFailedDeps & MaintenanceDeps;

/** Every activity the worker registers, built over the process's shared dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    attemptDelivery: createAttemptDelivery(deps),
    ...createDeliveryFailedActivities(deps),
    ...createMaintenanceActivities(deps),
    ...createFifoActivities(deps),
  };
}
