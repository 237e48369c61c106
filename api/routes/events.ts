import Router from '@koa/router';
import type { AppDeps } from '../deps';
import { notFound, validationFailed } from '../problems';
import { idempotencyKeySchema, listEventsQuery, publishEventSchema } from '../schemas/event';
import { scopeOf, tenantForWrite } from '../scope';
import { parseInput } from '../validate';
import { eventToWire } from '../wire';

export function eventsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/events' });

  router.post('/', async (ctx) => {
    const input = parseInput(publishEventSchema, ctx.state.body);
    const idempotencyKey = parseInput(idempotencyKeySchema, ctx.get('idempotency-key') || undefined, 'headers.idempotency-key');
    const tenantId = tenantForWrite(ctx, input.tenant_id);
    if (!(await deps.tenants.get(tenantId))) throw validationFailed([{ path: 'tenant_id', message: 'no such tenant' }]);

    const { event, deliveries } = await deps.publishEvent({
      tenantId,
      type: input.type,
      occurredAt: input.occurred_at ? new Date(input.occurred_at) : new Date(),
      data: input.data,
      metadata: input.metadata ?? null,
      idempotencyKey: idempotencyKey ?? null,
    });
    ctx.status = 202;
    ctx.body = { id: event.id, deliveries: deliveries.map((d) => ({ id: d.id, endpoint_id: d.endpointId })) };
  });

  router.get('/', async (ctx) => {
    const query = parseInput(listEventsQuery, ctx.query, 'query');
    const page = await deps.events.list(scopeOf(ctx), {
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.type !== undefined && { type: query.type }),
    });
    ctx.body = { data: page.data.map(eventToWire), next_cursor: page.nextCursor };
  });

  router.get('/:id', async (ctx) => {
    const event = await deps.events.get(ctx.params.id!, scopeOf(ctx));
    if (!event) throw notFound('event');
    const deliveries = await deps.events.deliveriesOf(event.id);
    ctx.body = { ...eventToWire(event), deliveries: deliveries.map((d) => ({ id: d.id, endpoint_id: d.endpointId })) };
  });

  return router;
}
