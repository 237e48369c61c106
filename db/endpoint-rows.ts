// How endpoints (domain/endpoint.ts) map onto the endpoints table.
import type { Endpoint, EndpointHealth, EndpointSettings, EndpointStatus } from '../domain/endpoint';
import type { RetryPolicy } from '../domain/retry-schedules';
import type { SignatureConfig } from '../domain/signature-config';

export interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  event_types: string[];
  filter: unknown;
  retry: RetryPolicy;
  timeout_ms: number;
  signature: SignatureConfig;
  headers: Record<string, string>;
  rate_limit: { max: number; perMs: number } | null;
  ordering: 'none' | 'fifo';
  transform: unknown;
  status: EndpointStatus;
  disabled_reason: string | null;
  health: EndpointHealth;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** Every column an EndpointRow holds, for statements that name their columns (db/prepared-statement.ts). */
export const ENDPOINT_ROW_COLUMNS: Record<keyof EndpointRow, true> = {
  id: true,
  tenant_id: true,
  url: true,
  description: true,
  event_types: true,
  filter: true,
  retry: true,
  timeout_ms: true,
  signature: true,
  headers: true,
  rate_limit: true,
  ordering: true,
  transform: true,
  status: true,
  disabled_reason: true,
  health: true,
  metadata: true,
  created_at: true,
  updated_at: true,
};

export const COLUMNS: Record<keyof EndpointSettings, string> = {
  url: 'url',
  description: 'description',
  eventTypes: 'event_types',
  filter: 'filter',
  retry: 'retry',
  timeoutMs: 'timeout_ms',
  signature: 'signature',
  headers: 'headers',
  rateLimit: 'rate_limit',
  ordering: 'ordering',
  transform: 'transform',
  metadata: 'metadata',
};

// pg sends JS arrays as PostgreSQL arrays, so jsonb values are serialised here explicitly.
const JSON_COLUMNS = new Set(['filter', 'retry', 'signature', 'headers', 'rate_limit', 'transform', 'metadata']);
export const toParam = (column: string, value: unknown) => (JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value);

export function toEndpoint(r: EndpointRow): Endpoint {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    filter: r.filter,
    retry: r.retry,
    timeoutMs: r.timeout_ms,
    signature: r.signature,
    headers: r.headers,
    rateLimit: r.rate_limit,
    ordering: r.ordering,
    transform: r.transform,
    status: r.status,
    disabledReason: r.disabled_reason,
    health: r.health,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
