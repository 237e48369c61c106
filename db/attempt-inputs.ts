import type { Pool } from 'pg';
import type { Endpoint, EndpointSecret } from '../domain/endpoint';
import type { SecretBox } from '../domain/encryption';
import type { StoredEvent } from '../domain/event';
import { ENDPOINT_ROW_COLUMNS, toEndpoint, type EndpointRow } from './endpoint-rows';
import { columnList, preparedStatement } from './prepared-statement';

export interface AttemptInputs {
  endpoint: Endpoint | undefined;
  event: StoredEvent | undefined;
  /** The current secret first, then rotated-out ones that still verify. */
  secrets: EndpointSecret[];
}

type InputsRow = Partial<EndpointRow> & {
  ev_id: string | null;
  ev_tenant_id: string;
  ev_type: string;
  ev_occurred_at: Date;
  ev_data: unknown;
  ev_metadata: Record<string, unknown> | null;
  ev_idempotency_key: string | null;
  ev_created_at: Date;
  secret_tokens: string[];
  secret_expiries: (Date | null)[];
};

const SECRETS = `FROM endpoint_secrets s WHERE s.endpoint_id = $1 AND (s.expires_at IS NULL OR s.expires_at > now())
  ORDER BY s.expires_at IS NULL DESC, s.created_at DESC`;

const readInputs = preparedStatement(
  'attempt-inputs',
  `SELECT ${columnList(ENDPOINT_ROW_COLUMNS, 'ep')}, ev.id AS ev_id, ev.tenant_id AS ev_tenant_id, ev.type AS ev_type,
     ev.occurred_at AS ev_occurred_at, ev.data AS ev_data, ev.metadata AS ev_metadata, ev.idempotency_key AS ev_idempotency_key,
     ev.created_at AS ev_created_at,
     ARRAY(SELECT s.secret_encrypted ${SECRETS}) AS secret_tokens,
     ARRAY(SELECT s.expires_at ${SECRETS}) AS secret_expiries
   FROM (SELECT 1) AS one LEFT JOIN endpoints ep ON ep.id = $1 LEFT JOIN events ev ON ev.id = $2`,
);

/**
 * Everything one attempt reads, in one round trip: the endpoint as it is now (so changes apply
 * from the next attempt), the event, and the secrets that still sign. Either row may be gone.
 */
export function createAttemptInputsReader(pool: Pool, secretBox: SecretBox) {
  return async function loadAttemptInputs(endpointId: string, eventId: string): Promise<AttemptInputs> {
    const { rows } = await pool.query<InputsRow>(readInputs([endpointId, eventId]));
    const row = rows[0]!;
    return {
      endpoint: row.id ? toEndpoint(row as EndpointRow) : undefined,
      event: row.ev_id
        ? {
            id: row.ev_id,
            tenantId: row.ev_tenant_id,
            type: row.ev_type,
            occurredAt: row.ev_occurred_at,
            data: row.ev_data,
            metadata: row.ev_metadata,
            idempotencyKey: row.ev_idempotency_key,
            createdAt: row.ev_created_at,
          }
        : undefined,
      secrets: row.secret_tokens.map((token, i) => ({ secret: secretBox.decrypt(token), expiresAt: row.secret_expiries[i] ?? null })),
    };
  };
}

export type AttemptInputsReader = ReturnType<typeof createAttemptInputsReader>;
