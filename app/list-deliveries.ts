import type { Page } from '../db/pagination';
import type { Scope } from '../domain/scope';
import type { DeliveryFilter, DeliveryReader, DeliverySummary } from '../temporal/delivery-reader';

/**
 * A page of deliveries from Temporal visibility. `scope` pins the tenant (and, for one
 * endpoint's deliveries, the endpoint) over whatever the filter asks for, so no filter can reach
 * another tenant's deliveries.
 */
export function listDeliveries(
  deps: { reader: DeliveryReader },
  filter: DeliveryFilter,
  scope: Scope & { endpointId?: string },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<DeliverySummary>> {
  return deps.reader.list(
    { ...filter, tenantId: scope.tenantId ?? filter.tenantId, endpointId: scope.endpointId ?? filter.endpointId },
    { limit: page.limit, ...(page.cursor !== undefined && { cursor: page.cursor }) },
  );
}
