// Types shared by the delivery workflow, its activities and the API. Ids only: no payloads, no
// secrets ever enter workflow inputs, outputs or history.
import type { RetryPolicy } from '../domain/retry-schedules';

export const DELIVERY_STATUSES = ['pending', 'delivering', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type AttemptTrigger = 'scheduled' | 'manual';

export interface DeliveryInput {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  /** 1 for a new delivery; a manual rerun of an ended delivery continues its numbering. */
  firstAttemptNumber: number;
  /** What starts this run's first attempt: publishing (`scheduled`) or a manual retry. */
  firstTrigger: AttemptTrigger;
  /** Waits for its turn in the endpoint's FIFO line before the first attempt. */
  ordered: boolean;
  /** After this long without being able to run an attempt, the delivery shows as stalled (HERALD_STALL_AFTER). */
  stallAfterMs?: number;
}

export interface AttemptRequest {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  /** A rate-limit slot was already reserved for this attempt (after a `throttled` outcome). */
  slotReserved: boolean;
}

/** What an attempt tells the workflow: compact, so history stays small and free of receiver data. */
export type AttemptOutcome =
  | { result: 'succeeded'; status: number }
  | { result: 'failed'; status?: number; errorCode: string; retryPolicy: RetryPolicy; retryAfterMs?: number }
  /** The receiver answered 410: no further attempts; the activity has disabled the endpoint. */
  | { result: 'gone'; status: 410 }
  /** The endpoint is disabled or deleted: the delivery ends without sending. */
  | { result: 'cancelled'; reason: string }
  /** Nothing sent: the endpoint's rate limit reserved a send slot `waitMs` from now. */
  | { result: 'throttled'; waitMs: number }
  /** The endpoint's transform failed on this event: retrying cannot help. */
  | { result: 'transform_error'; message: string };

export interface AttemptSummary {
  number: number;
  trigger: AttemptTrigger;
  startedAt: string;
  result: 'succeeded' | 'failed' | 'gone' | 'transform_error';
  status?: number;
  errorCode?: string;
}

export interface DeliveryState {
  deliveryId: string;
  status: DeliveryStatus;
  nextAttemptAt: string | null;
  attempts: AttemptSummary[];
  /** Why it ended cancelled or failed: `cancelled by request`, `endpoint disabled (…)`, `gone`, `transform_error`. */
  reason?: string;
}

/** What the steps after a failed delivery need: ids, and why it failed. */
export interface DeliveryFailedInput {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  /** Keys the webhook.failed event, so a manual rerun that fails again raises a new one. */
  workflowRunId: string;
  /** `retries exhausted`, `gone`, `transform_error`, or a permanent error; absent in runs begun before 2026-11-29. */
  reason?: string;
}

/** The failure type of an attempt that can never run (activities/attempt-boundary.ts): the delivery ends `failed`. */
export const PERMANENT_ATTEMPT_FAULT = 'PermanentAttemptFault';
