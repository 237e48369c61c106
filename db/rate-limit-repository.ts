import type { Pool } from 'pg';
import { inTransaction } from './transaction';

export interface RateLimit {
  max: number;
  perMs: number;
}

/** A reserved slot this close is simply used now: a timer would cost more than it saves. */
const SEND_NOW_MS = 20;

/**
 * An endpoint's rate limit, kept in PostgreSQL so it holds across any number of workers.
 * Two parts: a reservation clock spaces waiting deliveries `per / max` apart (so they wake up
 * one by one instead of all at once), and a log of the last window's sends is the guarantee that
 * no window of `per` ever holds more than `max` sends, even when a slot is used late.
 */
export function createRateLimitRepository(pool: Pool) {
  return {
    /**
     * Returns 0 when the caller may send now (and records the send), or how many milliseconds
     * to wait before asking again with `reserved` true.
     */
    async acquire(endpointId: string, limit: RateLimit, reserved: boolean): Promise<number> {
      const spacingMs = limit.perMs / limit.max;
      return inTransaction(pool, async (db) => {
        await db.query('INSERT INTO endpoint_rate_limits (endpoint_id, next_slot_at) VALUES ($1, clock_timestamp()) ON CONFLICT DO NOTHING', [endpointId]);
        const { rows } = await db.query<{ next_slot_at: Date; now: Date }>(
          'SELECT next_slot_at, clock_timestamp() AS now FROM endpoint_rate_limits WHERE endpoint_id = $1 FOR UPDATE',
          [endpointId],
        );
        const now = rows[0]!.now.getTime();
        const nextSlot = rows[0]!.next_slot_at.getTime();
        const setNextSlot = (at: number) => db.query('UPDATE endpoint_rate_limits SET next_slot_at = $2 WHERE endpoint_id = $1', [endpointId, new Date(at)]);

        if (!reserved) {
          const slot = Math.max(nextSlot, now);
          await setNextSlot(slot + spacingMs);
          if (slot - now > SEND_NOW_MS) return Math.ceil(slot - now);
        }
        const recent = await db.query<{ sent_at: Date }>(
          `SELECT sent_at FROM endpoint_sends WHERE endpoint_id = $1 AND sent_at > $2::timestamptz - $3 * interval '1 millisecond'
           ORDER BY sent_at DESC LIMIT $4`,
          [endpointId, new Date(now), limit.perMs, limit.max],
        );
        if (recent.rows.length >= limit.max) {
          const waitMs = Math.max(1, Math.ceil(recent.rows[limit.max - 1]!.sent_at.getTime() + limit.perMs - now));
          // Later reservations queue behind this delivery's new turn.
          await setNextSlot(Math.max(nextSlot, now + waitMs + spacingMs));
          return waitMs;
        }
        await db.query('INSERT INTO endpoint_sends (endpoint_id, sent_at) VALUES ($1, $2)', [endpointId, new Date(now)]);
        await db.query("DELETE FROM endpoint_sends WHERE endpoint_id = $1 AND sent_at <= $2::timestamptz - $3 * interval '1 millisecond'", [
          endpointId,
          new Date(now),
          limit.perMs,
        ]);
        return 0;
      });
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
