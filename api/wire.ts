// Domain objects as the API shows them (README, "API"). Secrets never appear here.
import type { AttemptRecord } from '../domain/delivery';
import type { Endpoint } from '../domain/endpoint';
import type { StoredEvent } from '../domain/event';
import type { Tenant } from '../domain/tenant';
import type { Page } from '../db/pagination';
import { formatDuration } from '../domain/durations';
import { retryPolicyToWire } from '../domain/retry-policy-schema';
import type { DeliverySummary } from '../temporal/delivery-reader';

/** A list page as the API shows it: `{data, next_cursor}`. */
export const pageToWire = <T, W>(page: Page<T>, toWire: (item: T) => W) => ({ data: page.data.map(toWire), next_cursor: page.nextCursor });

export const tenantToWire = (t: Tenant) => ({ id: t.id, name: t.name, alert_email: t.alertEmail, created_at: t.createdAt, updated_at: t.updatedAt });

export const endpointToWire = (e: Endpoint) => ({
  id: e.id,
  tenant_id: e.tenantId,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes,
  retry: retryPolicyToWire(e.retry),
  timeout: formatDuration(e.timeoutMs),
  signature: e.signature,
  headers: e.headers,
  rate_limit: e.rateLimit && { max: e.rateLimit.max, per: formatDuration(e.rateLimit.perMs) },
  ordering: e.ordering,
  filter: e.filter,
  transform: e.transform,
  status: e.status,
  disabled_reason: e.disabledReason,
  health: e.health,
  metadata: e.metadata,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

export const eventToWire = (e: StoredEvent) => ({
  id: e.id,
  tenant_id: e.tenantId,
  type: e.type,
  occurred_at: e.occurredAt,
  data: e.data,
  metadata: e.metadata ?? {},
  idempotency_key: e.idempotencyKey,
  created_at: e.createdAt,
});

export const deliverySummaryToWire = (d: DeliverySummary) => ({
  id: d.id,
  event_id: d.eventId,
  endpoint_id: d.endpointId,
  tenant_id: d.tenantId,
  event_type: d.eventType,
  status: d.status,
  started_at: d.startedAt,
  ended_at: d.endedAt,
});

export const attemptToWire = (a: AttemptRecord) => ({
  number: a.number,
  trigger: a.trigger,
  started_at: a.startedAt,
  duration_ms: a.durationMs,
  request: a.request,
  response: a.response,
  error: a.error,
});
