import type { z } from 'zod';
import type { AppDeps } from '../deps';
import type { listDeliveriesQuery } from '../schemas/delivery';
import { deliverySummaryToWire } from '../wire';

type DeliveriesQuery = z.output<typeof listDeliveriesQuery>;

/**
 * A page of deliveries from Temporal visibility, as the API lists them. `scope` pins the tenant
 * (and, under /v1/endpoints/:id/deliveries, the endpoint) over whatever the query asks for.
 */
export async function listDeliveries(
  deps: Pick<AppDeps, 'reader'>,
  q: Partial<DeliveriesQuery> & Pick<DeliveriesQuery, 'limit'>,
  scope: { tenantId?: string | undefined; endpointId?: string | undefined },
) {
  const page = await deps.reader.list(
    {
      tenantId: scope.tenantId ?? q.tenant_id,
      endpointId: scope.endpointId ?? q.endpoint_id,
      eventId: q.event_id,
      eventType: q.event_type,
      status: q.status,
      since: q.since ? new Date(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
    },
    { limit: q.limit, ...(q.cursor !== undefined && { cursor: q.cursor }) },
  );
  return { data: page.data.map(deliverySummaryToWire), next_cursor: page.nextCursor };
}
