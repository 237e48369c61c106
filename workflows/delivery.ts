import {
  ApplicationFailure,
  condition,
  log,
  ParentClosePolicy,
  proxyLocalActivities,
  proxySinks,
  setHandler,
  startChild,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from './activity-types';
import { delayAfterAttempt } from '../domain/retry-schedules';
import { deliveryFailedWorkflow } from './delivery-failed';
import { cancelSignal, retryNowSignal, stateQuery } from './delivery-definitions';
import {
  PERMANENT_ATTEMPT_FAULT,
  type AttemptOutcome,
  type AttemptRequest,
  type AttemptSummary,
  type AttemptTrigger,
  type DeliveryInput,
  type DeliveryState,
  type DeliveryStatus,
} from './delivery-types';
import { passTurn, waitForTurn } from './fifo-line';
import { statusKey } from './search-attributes';
import type { HeraldSinks } from './sinks';

/** No attempt could run for this long (PostgreSQL unreachable, say): the delivery shows as stalled. */
const DEFAULT_STALL_AFTER_MS = 5 * 60_000;
/** How long a stalled delivery waits before it tries again, at most. */
const STALL_RETRY_MS = 60_000;
/** A receiver's Retry-After may push the next attempt back, but never beyond this. */
const RETRY_AFTER_CAP_MS = 24 * 60 * 60 * 1000;

const ATTEMPT_RETRY = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 };

/** How many tries of an attempt the retry backoff fits into `ms`: the stall threshold, as a count. */
function triesWithin(ms: number): number {
  let tries = 1;
  for (let elapsed = 0, wait = ATTEMPT_RETRY.initialIntervalMs; elapsed + wait <= ms; tries++) {
    elapsed += wait;
    wait = Math.min(wait * ATTEMPT_RETRY.backoffCoefficient, ATTEMPT_RETRY.maximumIntervalMs);
  }
  return tries;
}

/**
 * The attempt runs inside the workflow task (a local activity): a delivery that succeeds at once
 * costs one workflow task and no activity task. Crash recovery is the workflow task's: if the
 * worker dies mid-attempt, the task times out and another worker runs the attempt again (same
 * delivery id; at-least-once). An attempt longer than the workflow task timeout keeps the task
 * alive by heartbeating it, which the SDK does. Infrastructure faults are retried with backoff
 * for about `stallAfterMs`; then the delivery reports itself stalled and tries again later.
 */
function localActivities(stallAfterMs: number) {
  const { attemptDelivery } = proxyLocalActivities<Activities>({
    // An attempt is at most its endpoint's 60 s timeout plus reading and writing the log.
    startToCloseTimeout: '90s',
    // Waits longer than this between tries become durable timers, so the workflow task is not
    // held open (and queries stay answered) while PostgreSQL is down.
    localRetryThreshold: '2s',
    retry: {
      initialInterval: ATTEMPT_RETRY.initialIntervalMs,
      backoffCoefficient: ATTEMPT_RETRY.backoffCoefficient,
      maximumInterval: ATTEMPT_RETRY.maximumIntervalMs,
      maximumAttempts: triesWithin(stallAfterMs),
      nonRetryableErrorTypes: [PERMANENT_ATTEMPT_FAULT],
    },
  });
  return { attemptDelivery, stallAfterMs };
}

// Part of the outcome of a failed delivery; retried until it runs, however long that takes.
const { markEndpointFailing } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

const { metrics } = proxySinks<HeraldSinks>();

type SentOutcome = Exclude<AttemptOutcome, { result: 'throttled' | 'cancelled' }>;
type AttemptResult = { kind: 'sent'; outcome: SentOutcome } | { kind: 'ended'; status: 'cancelled' | 'failed'; reason: string };
interface Requests {
  retry: boolean;
  cancel: boolean;
}
type LocalActivities = ReturnType<typeof localActivities>;

/**
 * One event to one endpoint: attempts on the endpoint's schedule until success, failure or cancel.
 * Version 2 of the delivery workflow, a workflow type of its own: runs begun as `deliveryWorkflow`
 * (version 1, legacy/delivery-v1.ts) finish on that code (README, "Upgrading"). A type rather than
 * a patch, because a patch costs every delivery a marker and a search attribute write.
 */
export async function deliveryWorkflowV2(input: DeliveryInput): Promise<DeliveryState> {
  const state = await deliver(input);
  metrics.deliveryEnded(state.status);
  return state;
}

async function deliver(input: DeliveryInput): Promise<DeliveryState> {
  const state: DeliveryState = { deliveryId: input.deliveryId, status: 'pending', nextAttemptAt: null, attempts: [] };
  const requests: Requests = { retry: false, cancel: false };
  setHandler(stateQuery, () => state);
  setHandler(retryNowSignal, () => void (requests.retry = true));
  setHandler(cancelSignal, () => void (requests.cancel = true));
  const activities = localActivities(input.stallAfterMs ?? DEFAULT_STALL_AFTER_MS);

  let round: Round = { firstNumber: input.firstAttemptNumber, trigger: input.firstTrigger, ordered: input.ordered, key: workflowInfo().runId };
  for (;;) {
    const nextNumber = await deliverRound(input, round, state, requests, activities);
    // A manual retry that reached the delivery as it ended runs it again, as a retry of an ended
    // delivery does: so a status the API shows as final always takes a retry.
    if (!requests.retry) return state;
    requests.retry = false;
    requests.cancel = false;
    round = { firstNumber: nextNumber, trigger: 'manual', ordered: false, key: `${workflowInfo().runId}-${nextNumber}` };
  }
}

/** One pass over the schedule, from a first attempt to a final status. */
interface Round {
  firstNumber: number;
  trigger: AttemptTrigger;
  /** Waits for its turn in the endpoint's FIFO line first (a manual rerun does not). */
  ordered: boolean;
  /** Tells this round's failure apart from an earlier one's (its webhook.failed, its steps workflow). */
  key: string;
}

/** Runs one round; returns the number the next attempt would have. */
async function deliverRound(input: DeliveryInput, round: Round, state: DeliveryState, requests: Requests, activities: LocalActivities): Promise<number> {
  // The outcome comes first (status, health, the FIFO turn); the mail and webhook.failed follow
  // in a workflow of their own, so an SMTP outage delays only them.
  let done: { failure?: string | undefined; nextNumber: number } = { nextNumber: round.firstNumber };
  try {
    if (round.ordered && !(await waitForTurn(input.deliveryId, input.endpointId, () => requests.cancel))) {
      end(state, 'cancelled', 'cancelled by request');
    } else {
      done = await attemptUntilDone(input, round, state, requests, activities);
    }
    if (done.failure !== undefined) await markEndpointFailing({ endpointId: input.endpointId });
  } finally {
    if (round.ordered) await passTurn(input.deliveryId, input.endpointId);
  }
  if (done.failure !== undefined) await startFailureSteps(input, round.key, done.failure);
  return done.nextNumber;
}

/**
 * Sets a final status, where listings see it too. Success writes nothing to visibility: the
 * workflow completing says it (temporal/delivery-reader.ts reads a completed `pending` as
 * `succeeded`), which saves a visibility write on the path almost every delivery takes.
 */
function end(state: DeliveryState, status: DeliveryStatus, reason?: string): void {
  state.status = status;
  state.nextAttemptAt = null;
  if (reason === undefined) delete state.reason;
  else state.reason = reason;
  if (status !== 'succeeded') upsertSearchAttributes([{ key: statusKey, value: status }]);
}

/** The attempt loop; returns why the delivery failed (if it did) and the next attempt's number. */
async function attemptUntilDone(input: DeliveryInput, round: Round, state: DeliveryState, requests: Requests, activities: LocalActivities): Promise<{ failure?: string; nextNumber: number }> {
  let trigger = round.trigger;
  for (let attemptsMade = 1, number = round.firstNumber; ; attemptsMade++, number++) {
    if (requests.cancel) return cancelledBefore(number);
    // A retry-now that arrives during an attempt asks for the attempt after it, not this one.
    requests.retry = false;
    // Not written to visibility: listings show pending/retrying and final statuses only.
    state.status = 'delivering';
    state.nextAttemptAt = null;
    const startedAt = new Date().toISOString();
    const request = { deliveryId: input.deliveryId, eventId: input.eventId, endpointId: input.endpointId, attemptNumber: number, trigger };
    const result = await attempt(request, state, requests, activities);
    if (result.kind === 'ended') {
      end(state, result.status, result.reason);
      // A cancel or a permanent fault may come before anything was sent: nothing to number then.
      return { ...(result.status === 'failed' && { failure: result.reason }), nextNumber: number };
    }
    const { outcome } = result;
    state.attempts.push(summarise(number, trigger, startedAt, outcome));
    if (outcome.result === 'succeeded') {
      end(state, 'succeeded');
      return { nextNumber: number + 1 };
    }
    if (outcome.result === 'gone' || outcome.result === 'transform_error') return failed(outcome.result, number + 1);
    if (requests.cancel) return cancelledBefore(number + 1);
    const scheduled = delayAfterAttempt(outcome.retryPolicy, attemptsMade, Math.random);
    if (scheduled === undefined) return failed('retries exhausted', number + 1);
    const delay = Math.max(scheduled, Math.min(outcome.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
    state.status = 'retrying';
    state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    upsertSearchAttributes([{ key: statusKey, value: 'retrying' }]);
    await condition(() => requests.retry || requests.cancel, delay);
    trigger = requests.retry ? 'manual' : 'scheduled';
  }

  function cancelledBefore(nextNumber: number) {
    end(state, 'cancelled', 'cancelled by request');
    return { nextNumber };
  }
  function failed(reason: string, nextNumber: number) {
    end(state, 'failed', reason);
    return { failure: reason, nextNumber };
  }
}

/**
 * Makes one attempt: waits (durably, cancellably) for a rate-limit slot when the endpoint has
 * none free, and when no attempt can run for its stall time, says so in the delivery's state, counts
 * it, and tries again later, for as long as it takes. An attempt that can never run ends it.
 */
async function attempt(request: Omit<AttemptRequest, 'slotReserved'>, state: DeliveryState, requests: Requests, activities: LocalActivities): Promise<AttemptResult> {
  const cancelled: AttemptResult = { kind: 'ended', status: 'cancelled', reason: 'cancelled by request' };
  let slotReserved = false;
  for (;;) {
    let outcome: AttemptOutcome;
    try {
      outcome = await activities.attemptDelivery({ ...request, slotReserved });
    } catch (err) {
      // Anything but a failure from Temporal (the attempt's error or its timeout) is a bug in this
      // code: let the workflow task fail (and show in the Temporal UI) rather than call it a stall.
      if (!(err instanceof TemporalFailure)) throw err;
      const permanent = permanentFault(err);
      if (permanent !== undefined) return { kind: 'ended', status: 'failed', reason: permanent };
      const retryMs = Math.min(STALL_RETRY_MS, activities.stallAfterMs);
      state.reason = `stalled since ${new Date().toISOString()}: no attempt could run (infrastructure fault: ${faultMessage(err)}); trying again every ${retryMs / 1000} s`;
      metrics.deliveryStalled();
      log.warn('delivery stalled', { deliveryId: request.deliveryId, attempt: request.attemptNumber, reason: state.reason });
      if (await condition(() => requests.cancel, retryMs)) return cancelled;
      continue;
    }
    delete state.reason;
    if (outcome.result === 'cancelled') return { kind: 'ended', status: 'cancelled', reason: outcome.reason };
    if (outcome.result !== 'throttled') return { kind: 'sent', outcome };
    if (await condition(() => requests.cancel, outcome.waitMs)) return cancelled;
    slotReserved = true;
  }
}

/** The reason of an attempt that can never run, or undefined for any other failure. */
function permanentFault(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === PERMANENT_ATTEMPT_FAULT) return e.message;
  }
  return undefined;
}

function faultMessage(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

function summarise(number: number, trigger: AttemptSummary['trigger'], startedAt: string, outcome: SentOutcome): AttemptSummary {
  const summary: AttemptSummary = { number, trigger, startedAt, result: outcome.result };
  if ('status' in outcome && outcome.status !== undefined) summary.status = outcome.status;
  if (outcome.result === 'failed') summary.errorCode = outcome.errorCode;
  if (outcome.result === 'transform_error') summary.errorCode = 'transform_error';
  return summary;
}

/** Starts the failed delivery's mail and webhook.failed, which outlive this workflow. */
async function startFailureSteps(input: DeliveryInput, roundKey: string, reason: string): Promise<void> {
  await startChild(deliveryFailedWorkflow, {
    workflowId: `${input.deliveryId}-failed-${roundKey}`,
    args: [{ deliveryId: input.deliveryId, eventId: input.eventId, endpointId: input.endpointId, tenantId: input.tenantId, eventType: input.eventType, workflowRunId: roundKey, reason }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}
