import type { Context } from 'koa';
import type { z } from 'zod';
import type { Endpoint } from '../domain/endpoint';
import type { NewEvent } from '../domain/event';
import { validateEventData } from '../domain/event-schema';
import { SYSTEM_EVENT_TYPES } from '../domain/subscriptions';
import type { PublishingContext } from '../db/publishing-context';
import type { AppDeps } from './deps';
import type { FieldError } from './problems';
import type { publishEventSchema } from './schemas/event';
import { tenantForWrite } from './scope';

type EventInput = z.output<typeof publishEventSchema>;

export interface PublishInput {
  input: EventInput;
  idempotencyKey: string | undefined;
  /** Where its faults are reported: '' for a single event, `events.3` in a batch. */
  prefix: string;
}

/**
 * Checks the events of one publish request beyond their shape: each tenant exists and is the
 * caller's, each type is not one Herald raises itself, and each event's data fits its type's JSON
 * Schema. What the checks need is read once per tenant and type, together with the tenant's
 * receiving endpoints, which come back for the publish itself: a single event costs one query.
 */
export async function toNewEvents(
  deps: Pick<AppDeps, 'readPublishingContext'>,
  ctx: Context,
  inputs: PublishInput[],
): Promise<{ events: NewEvent[]; faults: FieldError[]; receivingByTenant: Map<string, Endpoint[]> }> {
  const tenantIds = inputs.map(({ input }) => tenantForWrite(ctx, input.tenant_id));
  const contexts = new Map<string, Promise<PublishingContext>>();
  // A tenant's endpoints are read with its first type only: a batch of many types reads them once.
  const withEndpoints = new Map<string, Promise<PublishingContext>>();
  const contextOf = (tenantId: string, type: string): Promise<PublishingContext> => {
    const key = JSON.stringify([tenantId, type]);
    let context = contexts.get(key);
    if (context === undefined) {
      const firstOfTenant = !withEndpoints.has(tenantId);
      context = deps.readPublishingContext(tenantId, type, { withEndpoints: firstOfTenant });
      if (firstOfTenant) withEndpoints.set(tenantId, context);
      contexts.set(key, context);
    }
    return context;
  };
  const checked = await Promise.all(inputs.map(async (item, i) => checkEvent(item, tenantIds[i]!, await contextOf(tenantIds[i]!, item.input.type))));
  const receivingByTenant = new Map<string, Endpoint[]>();
  for (const [tenantId, context] of withEndpoints) receivingByTenant.set(tenantId, (await context).receiving);
  return { events: checked.map((c) => c.event), faults: checked.flatMap((c) => c.faults), receivingByTenant };
}

function checkEvent({ input, idempotencyKey, prefix }: PublishInput, tenantId: string, context: PublishingContext): { event: NewEvent; faults: FieldError[] } {
  const at = (path: string) => [prefix, path].filter(Boolean).join('.');
  const faults: FieldError[] = [];
  if (!context.tenantExists) faults.push({ path: at('tenant_id'), message: 'no such tenant' });
  if (SYSTEM_EVENT_TYPES.includes(input.type)) faults.push({ path: at('type'), message: 'is a system event type that only Herald raises' });
  for (const fault of validateEventData(context, input.data)) faults.push({ path: at(fault.path), message: fault.message });
  const event: NewEvent = {
    tenantId,
    type: input.type,
    occurredAt: input.occurred_at ? new Date(input.occurred_at) : new Date(),
    data: input.data,
    metadata: input.metadata ?? null,
    idempotencyKey: idempotencyKey ?? null,
  };
  return { event, faults };
}
