// The API's objects as the console reads them (README "API"; api/wire.ts). Field names are the wire's.

export const DELIVERY_STATUSES = ['pending', 'delivering', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type EndpointStatus = 'active' | 'pending_verification' | 'disabled';

/** GET /v1/me: who the credential is. */
export interface Me {
  kind: 'admin' | 'tenant' | 'portal';
  tenant_id: string | null;
  tenant_name: string | null;
  expires_at: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  alert_email: string;
  created_at: string;
}

export interface Endpoint {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  event_types: string[];
  retry: unknown;
  timeout: string;
  signature: { scheme: string; [setting: string]: unknown };
  headers: Record<string, string>;
  rate_limit: { max: number; per: string } | null;
  ordering: 'none' | 'fifo';
  filter: unknown;
  transform: unknown;
  status: EndpointStatus;
  disabled_reason: string | null;
  health: string;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface SecretView {
  secret: string | null;
  previous: { secret: string; expires_at: string }[];
}

export interface PublicKeyView {
  public_key: string | null;
  previous: { public_key: string; expires_at: string }[];
}

export interface DeliverySummary {
  id: string;
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  event_type: string;
  status: DeliveryStatus;
  started_at: string | null;
  ended_at: string | null;
}

export interface Attempt {
  number: number;
  trigger: 'scheduled' | 'manual';
  started_at: string;
  duration_ms: number;
  request: { url: string; headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: { code: string; message: string } | null;
}

export interface Delivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  event_type: string;
  status: DeliveryStatus;
  next_attempt_at: string | null;
  reason?: string;
  created_at: string;
  temporal_ui_url: string;
  attempts: Attempt[];
}

export interface EventType {
  name: string;
  description: string;
  group: string | null;
  schema: unknown;
  deprecated: boolean;
  created_at: string;
  updated_at: string;
}

/** POST /v1/endpoints/:id/test */
export interface TestResult {
  id: string;
  event_type: string;
  success: boolean;
  status: number | null;
  duration_ms: number;
  response: { headers: Record<string, string>; body: string } | null;
  error: { code: string; message: string } | null;
}

/** POST /v1/endpoints/:id/verify */
export interface VerifyResult {
  endpoint: Endpoint;
  verification: { status: number | null; duration_ms: number; error: { code: string; message: string } | null };
}
