import { z } from 'zod';
import { eventTypeName, idOf, metadataSchema, tenantListQuery, timestampSchema } from './common';

/** One event's body; larger is refused with 413 (README, "Security model"). */
export const EVENT_BODY_LIMIT_BYTES = 256 * 1024;
export const BATCH_MAX_EVENTS = 100;

export const publishEventSchema = z
  .object({
    tenant_id: idOf('tnt').optional(),
    type: eventTypeName,
    data: z.unknown().refine((d) => d !== undefined, 'required'),
    metadata: metadataSchema.optional(),
    occurred_at: timestampSchema.optional(),
  })
  .strict();

export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const publishBatchSchema = z
  .object({
    events: z
      .array(publishEventSchema.extend({ idempotency_key: idempotencyKeySchema.optional() }))
      .min(1)
      .max(BATCH_MAX_EVENTS),
  })
  .strict();

export const listEventsQuery = tenantListQuery.extend({ type: eventTypeName.optional() });
