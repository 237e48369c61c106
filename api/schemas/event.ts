import { z } from 'zod';
import { eventTypeName, idOf, metadataSchema } from './common';

export const publishEventSchema = z
  .object({
    tenant_id: idOf('tnt').optional(),
    type: eventTypeName,
    data: z.unknown().refine((d) => d !== undefined, 'required'),
    metadata: metadataSchema.optional(),
    occurred_at: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional();

export const listEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  type: eventTypeName.optional(),
});
