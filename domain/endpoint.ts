// Endpoints (webhook subscriptions) as the rest of Herald sees them.
import type { RetryPolicy } from './retry-schedules';
import type { SignatureConfig } from './signature-config';

export type EndpointStatus = 'pending_verification' | 'active' | 'disabled';
export type EndpointHealth = 'healthy' | 'failing';

/** The settings a client writes; everything else about an endpoint is Herald's to keep. */
export interface EndpointSettings {
  url: string;
  description: string;
  eventTypes: string[];
  filter: unknown;
  retry: RetryPolicy;
  timeoutMs: number;
  signature: SignatureConfig;
  headers: Record<string, string>;
  rateLimit: { max: number; perMs: number } | null;
  ordering: 'none' | 'fifo';
  transform: unknown;
  metadata: Record<string, unknown>;
}

export interface Endpoint extends EndpointSettings {
  id: string;
  tenantId: string;
  status: EndpointStatus;
  disabledReason: string | null;
  health: EndpointHealth;
  createdAt: Date;
  updatedAt: Date;
}

/** A signing secret (or Ed25519 key); rotated-out ones keep verifying until `expiresAt`. */
export interface EndpointSecret {
  secret: string;
  expiresAt: Date | null;
}
