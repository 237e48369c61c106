import { createAttemptDelivery, type AttemptDeps } from '../app/attempt-delivery';
import { createDeliveryFailedSteps, type DeliveryFailedDeps } from '../app/delivery-failed';
import { createEndpointDisabledNotifier, type EndpointDisabledDeps } from '../app/endpoint-disabled';
import { createMaintenance, type MaintenanceDeps } from '../app/maintenance';
import type { Metrics } from '../observability/metrics';
import { attemptActivity } from './attempt-boundary';
import { createFifoActivities } from './fifo';
import { heartbeating } from './heartbeat';

export type ActivityDeps = AttemptDeps &
  DeliveryFailedDeps &
  EndpointDisabledDeps &
  Omit<MaintenanceDeps, 'notifyEndpointDisabled'> & { metrics: Metrics };

/**
 * Every activity the worker registers: thin adapters from Temporal to the use cases in app/.
 * The names are part of recorded histories: keep them, or deliveries in flight cannot resume.
 */
export function createActivities(deps: ActivityDeps) {
  const notifyEndpointDisabled = createEndpointDisabledNotifier(deps);
  return {
    attemptDelivery: attemptActivity(createAttemptDelivery(deps), deps),
    ...createDeliveryFailedSteps(deps),
    notifyEndpointDisabled,
    // The maintenance workflow gives them a heartbeat timeout (workflows/maintenance.ts).
    ...heartbeating(createMaintenance({ ...deps, notifyEndpointDisabled })),
    ...createFifoActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
