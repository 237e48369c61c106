import type { Logger } from 'pino';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { EventRepository } from '../db/event-repository';
import type { Endpoint } from '../domain/endpoint';
import type { NewEvent, PublishedEvent } from '../domain/event';
import { endpointReceives } from '../domain/routing';
import type { Metrics } from '../observability/metrics';
import type { DeliveryStarter } from '../temporal/delivery-starter';

/**
 * Publishing, shared by the API and by system events raised in activities: route each event to
 * the tenant's receiving endpoints (README, "Routing, payloads and pacing"), store the events with their deliveries in one
 * transaction, then start the delivery workflows.
 */
export function createEventPublisher(deps: {
  endpoints: EndpointRepository;
  events: EventRepository;
  starter: DeliveryStarter;
  logger: Logger;
  metrics: Pick<Metrics, 'eventsPublished'>;
  /** How long a publish waits for its workflow starts before it answers anyway (config.startWaitMs). */
  startWaitMs: number;
}) {
  /** `receiving`: the tenants' receiving endpoints where the caller has just read them (the API's checks). */
  async function publishMany(inputs: NewEvent[], receiving: ReadonlyMap<string, Endpoint[]> = new Map()): Promise<PublishedEvent[]> {
    const receivingByTenant = new Map<string, Endpoint[]>();
    for (const tenantId of new Set(inputs.map((i) => i.tenantId))) {
      receivingByTenant.set(tenantId, receiving.get(tenantId) ?? (await deps.endpoints.listReceiving(tenantId)));
    }
    const published = await deps.events.publish(
      inputs.map((event) => ({ event, recipients: receivingByTenant.get(event.tenantId)!.filter((e) => endpointReceives(e, event)) })),
    );
    // Committed: if starting fails now, the maintenance sweep starts them later, so the events
    // are accepted either way. A repeated Idempotency-Key starts them again, which is harmless
    // (deterministic workflow ids).
    deps.metrics.eventsPublished.inc(published.filter((p) => p.created).length);
    const deliveries = published.flatMap((p) => p.deliveries);
    const starting = deps.starter.start(deliveries).catch((err) => deps.logger.warn({ err, events: published.map((p) => p.event.id) }, 'delivery start deferred to the outbox sweep'));
    // While Temporal is unreachable a start keeps trying for about 10 s; the caller is not held
    // that long (a client timing out would publish again). The start goes on after the answer.
    await settledWithin(starting, deps.startWaitMs);
    return published;
  }

  return {
    publishMany,
    async publish(input: NewEvent, receiving?: ReadonlyMap<string, Endpoint[]>): Promise<PublishedEvent> {
      return (await publishMany([input], receiving))[0]!;
    },
  };
}

/** Waits for `promise` (which never rejects) for at most `ms`. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;
