import type { AppDeps } from '../deps';
import { notFound, Problem, validationFailed } from '../problems';
import { EVENT_BODY_LIMIT_BYTES, idempotencyKeySchema, listEventsQuery, publishBatchSchema, publishEventSchema } from '../schemas/event';
import { listScope, scopeOf } from '../scope';
import { toNewEvents } from '../event-input';
import { whyNoDelivery } from '../../app/why-no-delivery';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';
import { eventToWire } from '../wire';

export function registerEventRoutes(router: SecureRouter, deps: AppDeps): void {
  router.post('/v1/events', 'api-key', async (ctx) => {
    const input = parseInput(publishEventSchema, ctx.state.body);
    const idempotencyKey = parseInput(idempotencyKeySchema.optional(), ctx.get('idempotency-key') || undefined, 'headers.idempotency-key');
    const { events, faults, receivingByTenant } = await toNewEvents(deps, ctx, [{ input, idempotencyKey, prefix: '' }]);
    if (faults.length > 0) throw validationFailed(faults);
    const { event, deliveries } = await deps.publishEvent.publish(events[0]!, receivingByTenant);
    // Publishing to nobody is not an error, but it should never be silent.
    const notice = deliveries.length === 0 ? whyNoDelivery(await deps.endpoints.listByTenant(event.tenantId), event) : undefined;
    ctx.status = 202;
    ctx.body = { id: event.id, deliveries: deliveries.map((d) => ({ id: d.id, endpoint_id: d.endpointId })), ...(notice !== undefined && { notice }) };
  });

  // All or nothing: every event is checked before any is stored, and all are stored in one transaction.
  router.post('/v1/events/batch', 'api-key', async (ctx) => {
    const raw = ctx.state.body as { events?: unknown[] } | undefined;
    const oversize = (Array.isArray(raw?.events) ? raw.events : []).findIndex((e) => Buffer.byteLength(JSON.stringify(e)) > EVENT_BODY_LIMIT_BYTES);
    if (oversize >= 0) throw new Problem(413, 'Content Too Large', `events.${oversize} is larger than ${EVENT_BODY_LIMIT_BYTES / 1024} KB`);
    const input = parseInput(publishBatchSchema, raw);
    const { events, faults, receivingByTenant } = await toNewEvents(
      deps,
      ctx,
      input.events.map((e, i) => ({ input: e, idempotencyKey: e.idempotency_key, prefix: `events.${i}` })),
    );
    if (faults.length > 0) throw validationFailed(faults);
    const published = await deps.publishEvent.publishMany(events, receivingByTenant);
    ctx.status = 202;
    ctx.body = { data: published.map((p) => ({ id: p.event.id, deliveries: p.deliveries.map((d) => ({ id: d.id, endpoint_id: d.endpointId })) })) };
  });

  router.get('/v1/events', 'tenant', async (ctx) => {
    const query = parseInput(listEventsQuery, ctx.query, 'query');
    const page = await deps.events.list(listScope(ctx, query.tenant_id), {
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.type !== undefined && { type: query.type }),
    });
    ctx.body = { data: page.data.map(eventToWire), next_cursor: page.nextCursor };
  });

  router.get('/v1/events/:id', 'tenant', async (ctx) => {
    const event = await deps.events.get(ctx.params.id!, scopeOf(ctx));
    if (!event) throw notFound('event');
    const deliveries = await deps.events.deliveriesOf(event.id);
    ctx.body = { ...eventToWire(event), deliveries: deliveries.map((d) => ({ id: d.id, endpoint_id: d.endpointId })) };
  });

}
