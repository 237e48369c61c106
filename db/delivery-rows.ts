import type { Pool, PoolClient } from 'pg';
import type { DeliveryRef } from '../domain/delivery';

/**
 * Inserts delivery rows (the outbox the workflows are started from) in one statement. Rows that
 * exist already are left as they are: publishing and replaying may both reach the same delivery.
 */
export async function insertDeliveries(db: Pool | PoolClient, refs: DeliveryRef[]): Promise<void> {
  if (refs.length === 0) return;
  await db.query(
    `INSERT INTO deliveries (id, event_id, endpoint_id, tenant_id, event_type, ordered)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[]) ON CONFLICT (id) DO NOTHING`,
    [refs.map((r) => r.id), refs.map((r) => r.eventId), refs.map((r) => r.endpointId), refs.map((r) => r.tenantId), refs.map((r) => r.eventType), refs.map((r) => r.ordered)],
  );
}
