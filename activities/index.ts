import { createAttemptDelivery, type AttemptDeps } from './attempt';
import { createRecordDeliveryFailed } from './delivery-failed';

export type ActivityDeps = AttemptDeps;

/** Every activity the worker registers, built over the process's shared dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    attemptDelivery: createAttemptDelivery(deps),
    recordDeliveryFailed: createRecordDeliveryFailed(deps),
  };
}
