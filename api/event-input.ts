import type { Context } from 'koa';
import type { z } from 'zod';
import type { NewEvent } from '../domain/event';
import { validateEventData } from '../domain/event-schema';
import { SYSTEM_EVENT_TYPES } from '../domain/subscriptions';
import type { AppDeps } from './deps';
import type { FieldError } from './problems';
import type { publishEventSchema } from './schemas/event';
import { tenantForWrite } from './scope';

type EventInput = z.output<typeof publishEventSchema>;

/**
 * Checks one published event beyond its shape: its tenant exists and is the caller's, its type is
 * not one Herald raises itself, and its data fits the type's JSON Schema. Faults come back at
 * `prefix` (`events.3` in a batch) so that a batch names the event at fault.
 */
export async function toNewEvent(
  deps: Pick<AppDeps, 'eventTypes'>,
  ctx: Context,
  input: EventInput,
  idempotencyKey: string | undefined,
  prefix: string,
): Promise<{ event: NewEvent; faults: FieldError[] }> {
  const at = (path: string) => [prefix, path].filter(Boolean).join('.');
  const faults: FieldError[] = [];
  const tenantId = tenantForWrite(ctx, input.tenant_id);
  const checks = await deps.eventTypes.publishingChecks(tenantId, input.type);
  if (!checks.tenantExists) faults.push({ path: at('tenant_id'), message: 'no such tenant' });
  if (SYSTEM_EVENT_TYPES.includes(input.type)) faults.push({ path: at('type'), message: 'is a system event type that only Herald raises' });
  for (const fault of validateEventData(checks, input.data)) faults.push({ path: at(fault.path), message: fault.message });
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
