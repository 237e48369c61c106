import type { Pool } from 'pg';
import type { AttemptRecord, DeliveryRef } from '../domain/delivery';
import type { Scope } from '../domain/scope';
import { insertDeliveries } from './delivery-rows';
import { preparedStatement } from './prepared-statement';

interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  event_type: string;
  ordered: boolean;
  created_at: Date;
}

interface AttemptRow {
  delivery_id: string;
  number: number;
  trigger: 'scheduled' | 'manual';
  started_at: Date;
  duration_ms: number;
  request_url: string;
  request_headers: Record<string, string>;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error_code: string | null;
  error_message: string | null;
}

const toRef = (r: DeliveryRow): DeliveryRef & { createdAt: Date } => ({
  id: r.id,
  eventId: r.event_id,
  endpointId: r.endpoint_id,
  tenantId: r.tenant_id,
  eventType: r.event_type,
  ordered: r.ordered,
  createdAt: r.created_at,
});

const toAttempt = (r: AttemptRow): AttemptRecord => ({
  deliveryId: r.delivery_id,
  number: r.number,
  trigger: r.trigger,
  startedAt: r.started_at,
  durationMs: r.duration_ms,
  request: { url: r.request_url, headers: r.request_headers },
  response: r.response_status === null ? null : { status: r.response_status, headers: r.response_headers ?? {}, body: r.response_body ?? '' },
  error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
});

// Run once per attempt and once per batch of workflow starts (db/prepared-statement.ts).
const recordAttemptRow = preparedStatement(
  'record-attempt',
  `INSERT INTO delivery_attempts (delivery_id, number, trigger, started_at, duration_ms, request_url, request_headers,
     response_status, response_headers, response_body, error_code, error_message)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
   ON CONFLICT (delivery_id, number) DO UPDATE SET trigger = EXCLUDED.trigger, started_at = EXCLUDED.started_at,
     duration_ms = EXCLUDED.duration_ms, request_url = EXCLUDED.request_url, request_headers = EXCLUDED.request_headers,
     response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers,
     response_body = EXCLUDED.response_body, error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message`,
);
const markWorkflowsStarted = preparedStatement(
  'mark-workflows-started',
  'UPDATE deliveries SET workflow_started_at = now() WHERE id = ANY($1) AND workflow_started_at IS NULL',
);

export function createDeliveryRepository(pool: Pool) {
  return {
    async get(id: string, scope: Scope = {}) {
      const { rows } = await pool.query<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)', [id, scope.tenantId ?? null]);
      return rows[0] && toRef(rows[0]);
    },

    /** The deliveries an endpoint already has for some events. */
    async forEndpoint(endpointId: string, eventIds: string[]): Promise<DeliveryRef[]> {
      const { rows } = await pool.query<DeliveryRow>('SELECT * FROM deliveries WHERE endpoint_id = $1 AND event_id = ANY($2)', [endpointId, eventIds]);
      return rows.map(toRef);
    },

    /** Adds deliveries (replay of events an endpoint never got); existing ones are left as they are. */
    async createMissing(refs: DeliveryRef[]): Promise<void> {
      await insertDeliveries(pool, refs);
    },

    async markStarted(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await pool.query(markWorkflowsStarted([ids]));
    },

    /** Outbox rows whose workflow start was never confirmed (the API died between commit and start). */
    async listNotStarted(olderThanMs: number, limit: number): Promise<DeliveryRef[]> {
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT * FROM deliveries WHERE workflow_started_at IS NULL AND created_at < now() - $1 * interval '1 millisecond'
         ORDER BY created_at LIMIT $2`,
        [olderThanMs, limit],
      );
      return rows.map(toRef);
    },

    /** Idempotent: a retried activity that recorded before crashing overwrites its own row. */
    async recordAttempt(a: AttemptRecord): Promise<void> {
      await pool.query(
        recordAttemptRow(
        [
          a.deliveryId,
          a.number,
          a.trigger,
          a.startedAt,
          a.durationMs,
          a.request.url,
          JSON.stringify(a.request.headers),
          a.response?.status ?? null,
          a.response ? JSON.stringify(a.response.headers) : null,
          a.response?.body ?? null,
          a.error?.code ?? null,
          a.error?.message ?? null,
        ]),
      );
    },

    async attempts(deliveryId: string): Promise<AttemptRecord[]> {
      const { rows } = await pool.query<AttemptRow>('SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY number', [deliveryId]);
      return rows.map(toAttempt);
    },

    /** Whether this delivery is the first of its FIFO endpoint's line that has not ended. */
    async isFifoHead(deliveryId: string, endpointId: string): Promise<boolean> {
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM deliveries WHERE endpoint_id = $1 AND ordered AND ended_at IS NULL ORDER BY seq LIMIT 1',
        [endpointId],
      );
      return rows[0]?.id === deliveryId;
    },

    /** Leaves the FIFO line; returns the delivery now at its head, if any, to be woken up. */
    async leaveFifoLine(deliveryId: string, endpointId: string): Promise<string | null> {
      await pool.query('UPDATE deliveries SET ended_at = now() WHERE id = $1 AND ended_at IS NULL', [deliveryId]);
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM deliveries WHERE endpoint_id = $1 AND ordered AND ended_at IS NULL ORDER BY seq LIMIT 1',
        [endpointId],
      );
      return rows[0]?.id ?? null;
    },

    async lastAttemptNumber(deliveryId: string): Promise<number> {
      const { rows } = await pool.query<{ max: number | null }>('SELECT max(number) AS max FROM delivery_attempts WHERE delivery_id = $1', [deliveryId]);
      return rows[0]?.max ?? 0;
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
