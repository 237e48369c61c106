import type { DeliveryRepository } from '../db/delivery-repository';
import type { Endpoint } from '../domain/endpoint';
import type { EventRepository } from '../db/event-repository';
import type { DeliveryRef } from '../domain/delivery';
import { deliveryIdFor } from '../domain/ids';
import { endpointReceives } from '../domain/routing';
import type { DeliveryReader } from '../temporal/delivery-reader';
import type { DeliveryStarter } from '../temporal/delivery-starter';

/** One replay call handles at most this many events; a larger window is replayed in slices. */
export const REPLAY_LIMIT = 1_000;

export type ReplayStatus = 'all' | 'failed' | 'not_delivered';

/**
 * (README, "Delivery semantics") replay: re-delivers an endpoint's events of a window. Events it never got (published
 * while it was disabled or unverified) get a new delivery; existing deliveries run again as
 * manual retries of the same workflow id, so two replays at once cannot deliver one event twice
 * at the same time (a running delivery is only signalled, never started a second time).
 */
export function createReplayer(deps: { events: EventRepository; deliveries: DeliveryRepository; starter: DeliveryStarter; reader: DeliveryReader }) {
  async function failedDeliveryIds(endpointId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await deps.reader.list({ endpointId, status: 'failed' }, { limit: 100, ...(cursor !== undefined && { cursor }) });
      for (const d of page.data) ids.add(d.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.size < REPLAY_LIMIT);
    return ids;
  }

  return async function replay(endpoint: Endpoint, window: { since: Date; until: Date; status: ReplayStatus }): Promise<DeliveryRef[]> {
    const events = (await deps.events.listInWindow(endpoint.tenantId, window.since, window.until, REPLAY_LIMIT)).filter((e) => endpointReceives(endpoint, e));
    if (events.length === 0) return [];
    const existing = new Map((await deps.deliveries.forEndpoint(endpoint.id, events.map((e) => e.id))).map((d) => [d.eventId, d]));

    const rerun: DeliveryRef[] = [];
    const missing: DeliveryRef[] = [];
    if (window.status !== 'not_delivered') {
      const failed = window.status === 'failed' ? await failedDeliveryIds(endpoint.id) : undefined;
      for (const d of existing.values()) if (!failed || failed.has(d.id)) rerun.push(d);
    }
    if (window.status !== 'failed') {
      for (const e of events.filter((e) => !existing.has(e.id))) {
        missing.push({
          id: deliveryIdFor(e.id, endpoint.id),
          eventId: e.id,
          endpointId: endpoint.id,
          tenantId: e.tenantId,
          eventType: e.type,
          ordered: endpoint.ordering === 'fifo',
        });
      }
    }
    await deps.deliveries.createMissing(missing);
    await deps.starter.start(missing);
    for (const d of rerun) await deps.starter.retryNow(d);
    return [...rerun, ...missing].sort((a, b) => a.eventId.localeCompare(b.eventId));
  };
}
