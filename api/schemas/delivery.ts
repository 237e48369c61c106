import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../workflows/delivery-types';
import { eventTypeName, idOf, timestampSchema } from './common';

export const listDeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(4096).optional(),
    tenant_id: idOf('tnt').optional(),
    endpoint_id: idOf('ep').optional(),
    event_id: idOf('evt').optional(),
    event_type: eventTypeName.optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    since: timestampSchema.optional(),
    until: timestampSchema.optional(),
  })
  .strict();
