import type { Pool, PoolClient } from 'pg';
import { deliveryIdFor, newId } from '../domain/ids';
import type { DeliveryRef } from '../domain/delivery';
import type { NewEvent, PublishedEvent, Recipient, StoredEvent } from '../domain/event';
import type { Scope } from '../domain/scope';
import { decodeCursor, toPage, type Page } from './pagination';
import { insertDeliveries } from './delivery-rows';
import { columnList, preparedStatement } from './prepared-statement';
import { inTransaction } from './transaction';

interface EventRow {
  id: string;
  tenant_id: string;
  type: string;
  occurred_at: Date;
  data: unknown;
  metadata: Record<string, unknown> | null;
  idempotency_key: string | null;
  created_at: Date;
}

const EVENT_ROW_COLUMNS: Record<keyof EventRow, true> = {
  id: true,
  tenant_id: true,
  type: true,
  occurred_at: true,
  data: true,
  metadata: true,
  idempotency_key: true,
  created_at: true,
};

const toEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  type: r.type,
  occurredAt: r.occurred_at,
  data: r.data,
  metadata: r.metadata,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
});

const eventParams = (id: string, e: NewEvent) => [id, e.tenantId, e.type, e.occurredAt, JSON.stringify(e.data), e.metadata && JSON.stringify(e.metadata), e.idempotencyKey];

const deliveryRef = (eventId: string, event: Pick<NewEvent, 'tenantId' | 'type'>, r: Recipient): DeliveryRef => ({
  id: deliveryIdFor(eventId, r.id),
  eventId,
  endpointId: r.id,
  tenantId: event.tenantId,
  eventType: event.type,
  ordered: r.ordering === 'fifo',
});

/** The common publish, one event and its unordered deliveries, in one statement. */
const insertEventAlone = preparedStatement(
  'insert-event-alone',
  `WITH ev AS (
     INSERT INTO events (id, tenant_id, type, occurred_at, data, metadata, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
     RETURNING ${columnList(EVENT_ROW_COLUMNS, 'events')}
   ), d AS (
     INSERT INTO deliveries (id, event_id, endpoint_id, tenant_id, event_type, ordered)
     SELECT d.id, ev.id, d.endpoint_id, ev.tenant_id, ev.type, false FROM ev, unnest($8::text[], $9::text[]) AS d(id, endpoint_id)
   )
   SELECT ${columnList(EVENT_ROW_COLUMNS, 'ev')} FROM ev`,
);

export function createEventRepository(pool: Pool) {
  return {
    /**
     * Stores events and their deliveries (the outbox) in one transaction: all of them or none.
     * An Idempotency-Key this tenant already used yields the first event and its deliveries.
     */
    async publish(items: { event: NewEvent; recipients: Recipient[] }[]): Promise<PublishedEvent[]> {
      const [only] = items;
      // The common case, one event and no FIFO line to queue in, is one statement: one round trip.
      if (items.length === 1 && !only!.recipients.some((r) => r.ordering === 'fifo')) return [await insertAlone(only!.event, only!.recipients)];
      return inTransaction(pool, async (client) => {
        const published: PublishedEvent[] = [];
        for (const item of items) published.push(await insertOne(client, item.event, item.recipients));
        return published;
      });
    },

    async get(id: string, scope: Scope = {}): Promise<StoredEvent | undefined> {
      const { rows } = await pool.query<EventRow>('SELECT * FROM events WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)', [id, scope.tenantId ?? null]);
      return rows[0] && toEvent(rows[0]);
    },

    async list(scope: Scope, opts: { limit: number; cursor?: string; type?: string }): Promise<Page<StoredEvent>> {
      const { rows } = await pool.query<EventRow>(
        `SELECT * FROM events WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR id < $2)
           AND ($3::text IS NULL OR type = $3)
         ORDER BY id DESC LIMIT $4`,
        [scope.tenantId ?? null, decodeCursor(opts.cursor), opts.type ?? null, opts.limit + 1],
      );
      return toPage(rows.map(toEvent), opts.limit);
    },

    /** A tenant's events created in [since, until), oldest first: the candidates of a replay. */
    async listInWindow(tenantId: string, since: Date, until: Date, limit: number): Promise<StoredEvent[]> {
      const { rows } = await pool.query<EventRow>(
        'SELECT * FROM events WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id LIMIT $4',
        [tenantId, since, until, limit],
      );
      return rows.map(toEvent);
    },

    /** Retention: deletes in bounded batches so one run never holds a long lock. */
    async deleteOlderThan(ageMs: number, batch = 5_000): Promise<number> {
      const result = await pool.query(
        `DELETE FROM events WHERE id IN (
           SELECT id FROM events WHERE created_at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
        [ageMs, batch],
      );
      return result.rowCount ?? 0;
    },

    deliveriesOf: (eventId: string) => deliveriesOf(eventId),
  };

  /** One event and its (unordered) deliveries in a single statement, atomic by itself. */
  async function insertAlone(event: NewEvent, recipients: Recipient[]): Promise<PublishedEvent> {
    const id = newId('evt');
    const deliveries = recipients.map((r) => deliveryRef(id, event, r));
    const inserted = await pool.query<EventRow>(
      insertEventAlone([...eventParams(id, event), deliveries.map((d) => d.id), deliveries.map((d) => d.endpointId)]),
    );
    if (inserted.rows[0]) return { event: toEvent(inserted.rows[0]), deliveries, created: true };
    return firstPublished(pool, event);
  }

  /** An Idempotency-Key this tenant used before: the event it stored then, and its deliveries. */
  async function firstPublished(db: Pool | PoolClient, event: NewEvent): Promise<PublishedEvent> {
    const existing = await db.query<EventRow>('SELECT * FROM events WHERE tenant_id = $1 AND idempotency_key = $2', [event.tenantId, event.idempotencyKey]);
    const first = toEvent(existing.rows[0]!);
    return { event: first, deliveries: await deliveriesOf(first.id, db), created: false };
  }

  async function insertOne(client: PoolClient, event: NewEvent, recipients: Recipient[]): Promise<PublishedEvent> {
    const inserted = await client.query<EventRow>(
      `INSERT INTO events (id, tenant_id, type, occurred_at, data, metadata, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING *`,
      eventParams(newId('evt'), event),
    );
    if (!inserted.rows[0]) return firstPublished(client, event);
    const stored = toEvent(inserted.rows[0]);
    const deliveries = recipients.map((r) => deliveryRef(stored.id, stored, r));
    // Publishes to one FIFO endpoint take turns, so its line (seq) follows commit order.
    for (const fifo of deliveries.filter((d) => d.ordered).sort((a, b) => a.endpointId.localeCompare(b.endpointId))) {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [fifo.endpointId]);
    }
    await insertDeliveries(client, deliveries);
    return { event: stored, deliveries, created: true };
  }

  async function deliveriesOf(eventId: string, db: Pool | PoolClient = pool): Promise<DeliveryRef[]> {
    const { rows } = await db.query<{ id: string; event_id: string; endpoint_id: string; tenant_id: string; event_type: string; ordered: boolean }>(
      'SELECT id, event_id, endpoint_id, tenant_id, event_type, ordered FROM deliveries WHERE event_id = $1 ORDER BY id',
      [eventId],
    );
    return rows.map((r) => ({ id: r.id, eventId: r.event_id, endpointId: r.endpoint_id, tenantId: r.tenant_id, eventType: r.event_type, ordered: r.ordered }));
  }
}

export type EventRepository = ReturnType<typeof createEventRepository>;
