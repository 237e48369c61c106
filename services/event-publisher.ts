import type { Logger } from 'pino';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { DeliveryRef, EventRepository, NewEvent, StoredEvent } from '../db/event-repository';
import { subscribesTo } from '../domain/subscriptions';
import type { DeliveryStarter } from '../temporal/delivery-starter';

export interface PublishResult {
  event: StoredEvent;
  deliveries: DeliveryRef[];
}

/**
 * Publishing, shared by the API and by system events raised in activities: match the tenant's
 * receiving endpoints, store the event with its deliveries in one transaction, start the workflows.
 */
export function createEventPublisher(deps: { endpoints: EndpointRepository; events: EventRepository; starter: DeliveryStarter; logger: Logger }) {
  return async function publishEvent(input: NewEvent): Promise<PublishResult> {
    const receiving = (await deps.endpoints.listReceiving(input.tenantId)).filter((e) => subscribesTo(e.eventTypes, input.type));
    const { event, deliveries } = await deps.events.publish(input, receiving);
    // The event and its deliveries are committed: if starting fails now, the maintenance sweep
    // starts them later, so the event is accepted either way. A repeated Idempotency-Key starts
    // them again, which is harmless (deterministic workflow ids).
    await deps.starter.start(deliveries).catch((err) => deps.logger.warn({ err, eventId: event.id }, 'delivery start deferred to the outbox sweep'));
    return { event, deliveries };
  };
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;
