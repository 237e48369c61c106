import { z } from 'zod';
import type { DeliveryFilter } from '../../temporal/delivery-reader';
import { DELIVERY_STATUSES } from '../../workflows/delivery-types';
import { eventTypeName, idOf, limitSchema, timestampSchema } from './common';

export const listDeliveriesQuery = z
  .object({
    limit: limitSchema,
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

/** The visibility filter a (validated) deliveries query asks for. */
export function deliveryFilterOf(q: Partial<z.output<typeof listDeliveriesQuery>>): DeliveryFilter {
  return {
    tenantId: q.tenant_id,
    endpointId: q.endpoint_id,
    eventId: q.event_id,
    eventType: q.event_type,
    status: q.status,
    since: q.since === undefined ? undefined : new Date(q.since),
    until: q.until === undefined ? undefined : new Date(q.until),
  };
}
