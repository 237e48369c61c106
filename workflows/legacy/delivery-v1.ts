// FROZEN: the delivery workflow as it ran until 2026-11-29 (workflow type `deliveryWorkflow`),
// with each attempt a remote activity. Runs that began on it finish on it, so its commands must
// never change: test/unit/workflow-replay.test.ts replays its recorded histories
// (test/fixtures/histories/v1). New deliveries start as `deliveryWorkflowV2` (../delivery.ts).
// Delete it once no run of it is left (README, "Upgrading").
import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activity-types';
import { delayAfterAttempt } from '../../domain/retry-schedules';
import { statusKey } from '../search-attributes';
import { cancelSignal, retryNowSignal, stateQuery } from '../delivery-definitions';
import type { AttemptOutcome, AttemptRequest, AttemptSummary, DeliveryInput, DeliveryState, DeliveryStatus } from '../delivery-types';
import { passTurn, waitForTurn } from './fifo-line-v1';

// HTTP failures come back as outcomes and the workflow owns that schedule; Temporal's own
// retries only cover infrastructure faults (PostgreSQL down, worker lost mid-attempt).
const { attemptDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: '90s',
  // The attempt heartbeats: a worker killed mid-attempt is noticed within seconds and the
  // attempt runs again elsewhere (at-least-once, same delivery id).
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
const { markEndpointFailing, sendFailureAlert, publishWebhookFailed } = proxyActivities<Activities>({
  startToCloseTimeout: '90s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** A receiver's Retry-After may push the next attempt back, but never beyond this. */
const RETRY_AFTER_CAP_MS = 24 * 60 * 60 * 1000;

type SentOutcome = Exclude<AttemptOutcome, { result: 'throttled' }>;

/** One event to one endpoint: attempts on the endpoint's schedule until success, exhaustion or cancel. */
export async function deliveryWorkflowV1(input: DeliveryInput): Promise<DeliveryState> {
  const state: DeliveryState = { deliveryId: input.deliveryId, status: 'pending', nextAttemptAt: null, attempts: [] };
  let retryRequested = false;
  let cancelRequested = false;
  setHandler(stateQuery, () => state);
  setHandler(retryNowSignal, () => void (retryRequested = true));
  setHandler(cancelSignal, () => void (cancelRequested = true));

  const setStatus = (status: DeliveryStatus, reason?: string): DeliveryState => {
    state.status = status;
    if (reason !== undefined) state.reason = reason;
    upsertSearchAttributes([{ key: statusKey, value: status }]);
    return state;
  };
  const cancelled = () => setStatus('cancelled', 'cancelled by request');

  /** Sends one attempt, first waiting (durably, cancellably) for a rate-limit slot if needed. */
  async function send(request: Omit<AttemptRequest, 'slotReserved'>): Promise<SentOutcome | undefined> {
    let outcome = await attemptDelivery({ ...request, slotReserved: false });
    while (outcome.result === 'throttled') {
      if (await condition(() => cancelRequested, outcome.waitMs)) return undefined;
      outcome = await attemptDelivery({ ...request, slotReserved: true });
    }
    return outcome;
  }

  async function attemptUntilDone(): Promise<DeliveryState> {
    let trigger = input.firstTrigger;
    for (let attemptsMade = 1, number = input.firstAttemptNumber; ; attemptsMade++, number++) {
      if (cancelRequested) return cancelled();
      // A retry-now that arrives during an attempt asks for the attempt after it, not this one.
      retryRequested = false;
      state.nextAttemptAt = null;
      setStatus('delivering');
      const startedAt = new Date().toISOString();
      const outcome = await send({ deliveryId: input.deliveryId, eventId: input.eventId, endpointId: input.endpointId, attemptNumber: number, trigger });
      if (outcome === undefined) return cancelled();
      if (outcome.result === 'cancelled') return setStatus('cancelled', outcome.reason);
      state.attempts.push(summarise(number, trigger, startedAt, outcome));

      if (outcome.result === 'succeeded') return setStatus('succeeded');
      if (outcome.result === 'gone') return exhausted(input, setStatus, 'gone');
      if (outcome.result === 'transform_error') return exhausted(input, setStatus, 'transform_error');
      if (cancelRequested) return cancelled();
      const scheduled = delayAfterAttempt(outcome.retryPolicy, attemptsMade, Math.random);
      if (scheduled === undefined) return exhausted(input, setStatus, 'retries exhausted');
      const delay = Math.max(scheduled, Math.min(outcome.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));

      state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
      setStatus('retrying');
      await condition(() => retryRequested || cancelRequested, delay);
      trigger = retryRequested ? 'manual' : 'scheduled';
    }
  }

  if (!input.ordered) return attemptUntilDone();
  // FIFO: wait for this delivery's turn, and whatever happens, hand the turn on at the end.
  try {
    if (!(await waitForTurn(input.deliveryId, input.endpointId, () => cancelRequested))) return cancelled();
    return await attemptUntilDone();
  } finally {
    await passTurn(input.deliveryId, input.endpointId);
  }
}

function summarise(number: number, trigger: AttemptSummary['trigger'], startedAt: string, outcome: Exclude<SentOutcome, { result: 'cancelled' }>): AttemptSummary {
  const summary: AttemptSummary = { number, trigger, startedAt, result: outcome.result };
  if ('status' in outcome && outcome.status !== undefined) summary.status = outcome.status;
  if (outcome.result === 'failed') summary.errorCode = outcome.errorCode;
  if (outcome.result === 'transform_error') summary.errorCode = 'transform_error';
  return summary;
}

/** The schedule is exhausted (or the receiver said 410, or the transform failed). */
async function exhausted(input: DeliveryInput, setStatus: (s: DeliveryStatus, reason?: string) => DeliveryState, reason: string): Promise<DeliveryState> {
  const state = setStatus('failed', reason);
  state.nextAttemptAt = null;
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
