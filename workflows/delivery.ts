import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { delayAfterAttempt } from '../domain/retry-schedules';
import { statusKey } from '../temporal/search-attributes';
import { cancelSignal, retryNowSignal, stateQuery } from './delivery-definitions';
import type { AttemptOutcome, AttemptTrigger, DeliveryInput, DeliveryState, DeliveryStatus } from './delivery-types';

type Activities = ReturnType<typeof createActivities>;

// HTTP failures come back as outcomes and the workflow owns that schedule; Temporal's own
// retries only cover infrastructure faults (PostgreSQL down, worker lost mid-attempt).
const { attemptDelivery, markEndpointFailing, sendFailureAlert, publishWebhookFailed } = proxyActivities<Activities>({
  startToCloseTimeout: '90s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** A receiver's Retry-After may push the next attempt back, but never beyond this. */
const RETRY_AFTER_CAP_MS = 24 * 60 * 60 * 1000;

/** One event to one endpoint: attempts on the endpoint's schedule until success, exhaustion or cancel. */
export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryState> {
  const state: DeliveryState = { deliveryId: input.deliveryId, status: 'pending', nextAttemptAt: null, attempts: [] };
  let retryRequested = false;
  let cancelRequested = false;
  setHandler(stateQuery, () => state);
  setHandler(retryNowSignal, () => void (retryRequested = true));
  setHandler(cancelSignal, () => void (cancelRequested = true));

  const setStatus = (status: DeliveryStatus): void => {
    state.status = status;
    upsertSearchAttributes([{ key: statusKey, value: status }]);
  };

  let attemptNumber = input.firstAttemptNumber;
  let trigger: AttemptTrigger = input.firstTrigger;
  for (let attemptsMade = 1; ; attemptsMade++, attemptNumber++) {
    if (cancelRequested) return end(state, setStatus, 'cancelled', 'cancelled by request');
    // A retry-now that arrives during an attempt asks for the attempt after it, not this one.
    retryRequested = false;
    state.nextAttemptAt = null;
    setStatus('delivering');
    const startedAt = new Date().toISOString();
    const outcome = await attemptDelivery({
      deliveryId: input.deliveryId,
      eventId: input.eventId,
      endpointId: input.endpointId,
      attemptNumber,
      trigger,
    });
    if (outcome.result !== 'cancelled') state.attempts.push(summarise(attemptNumber, trigger, startedAt, outcome));

    if (outcome.result === 'succeeded') return end(state, setStatus, 'succeeded');
    if (outcome.result === 'cancelled') return end(state, setStatus, 'cancelled', outcome.reason);
    if (outcome.result === 'gone') return exhausted(state, setStatus, input);
    if (cancelRequested) return end(state, setStatus, 'cancelled', 'cancelled by request');

    const scheduled = delayAfterAttempt(outcome.retryPolicy, attemptsMade, Math.random);
    if (scheduled === undefined) return exhausted(state, setStatus, input);
    const delay = Math.max(scheduled, Math.min(outcome.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));

    state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    setStatus('retrying');
    await condition(() => retryRequested || cancelRequested, delay);
    trigger = retryRequested ? 'manual' : 'scheduled';
  }
}

function summarise(number: number, trigger: AttemptTrigger, startedAt: string, outcome: AttemptOutcome) {
  const summary: DeliveryState['attempts'][number] = { number, trigger, startedAt, result: outcome.result };
  if ('status' in outcome && outcome.status !== undefined) summary.status = outcome.status;
  if (outcome.result === 'failed') summary.errorCode = outcome.errorCode;
  return summary;
}

function end(state: DeliveryState, setStatus: (s: DeliveryStatus) => void, status: DeliveryStatus, reason?: string): DeliveryState {
  state.nextAttemptAt = null;
  if (reason !== undefined) state.cancelReason = reason;
  setStatus(status);
  return state;
}

async function exhausted(
  state: DeliveryState,
  setStatus: (s: DeliveryStatus) => void,
  input: DeliveryInput,
): Promise<DeliveryState> {
  end(state, setStatus, 'failed');
  const failed = {
    deliveryId: input.deliveryId,
    eventId: input.eventId,
    endpointId: input.endpointId,
    tenantId: input.tenantId,
    eventType: input.eventType,
    workflowRunId: workflowInfo().runId,
  };
  await Promise.all([markEndpointFailing(failed), sendFailureAlert(failed), publishWebhookFailed(failed)]);
  return state;
}
