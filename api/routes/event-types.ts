import type { StoredEventType } from '../../db/event-type-repository';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../problems';
import { createEventTypeSchema, impliedGroup, listEventTypesQuery, patchEventTypeSchema } from '../schemas/event-type';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';

const eventTypeToWire = (t: StoredEventType) => ({
  name: t.name,
  description: t.description,
  group: t.group,
  schema: t.schema,
  deprecated: t.deprecated,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

/** (README, "API") event type catalog: tenant-independent; any key reads it, the admin key writes it. */
export function registerEventTypeRoutes(router: SecureRouter, deps: AppDeps): void {
  router.post('/v1/event-types', 'admin', async (ctx) => {
    const input = parseInput(createEventTypeSchema, ctx.state.body);
    const created = await deps.eventTypes.create({
      name: input.name,
      description: input.description,
      group: input.group === undefined ? impliedGroup(input.name) : input.group,
      schema: input.schema,
      deprecated: input.deprecated,
    });
    if (!created) throw conflict(`event type ${input.name} already exists`);
    ctx.status = 201;
    ctx.body = eventTypeToWire(created);
  });

  router.get('/v1/event-types', 'tenant', async (ctx) => {
    const query = parseInput(listEventTypesQuery, ctx.query, 'query');
    const page = await deps.eventTypes.list({
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.group !== undefined && { group: query.group }),
    });
    ctx.body = { data: page.data.map(eventTypeToWire), next_cursor: page.nextCursor };
  });

  router.get('/v1/event-types/:name', 'tenant', async (ctx) => {
    const eventType = await deps.eventTypes.get(ctx.params.name!);
    if (!eventType) throw notFound('event type');
    ctx.body = eventTypeToWire(eventType);
  });

  router.patch('/v1/event-types/:name', 'admin', async (ctx) => {
    const input = parseInput(patchEventTypeSchema, ctx.state.body ?? {});
    const updated = await deps.eventTypes.update(ctx.params.name!, {
      ...(input.description !== undefined && { description: input.description }),
      ...(input.group !== undefined && { group: input.group }),
      ...(input.schema !== undefined && { schema: input.schema }),
      ...(input.deprecated !== undefined && { deprecated: input.deprecated }),
    });
    if (!updated) throw notFound('event type');
    ctx.body = eventTypeToWire(updated);
  });

  router.delete('/v1/event-types/:name', 'admin', async (ctx) => {
    if (!(await deps.eventTypes.delete(ctx.params.name!))) throw notFound('event type');
    ctx.status = 204;
  });

}
