import type { Endpoint } from '../domain/endpoint';
import { endpointReceives, type RoutableEvent } from '../domain/routing';

/** Why an event started no delivery, in words a person fixing it can act on. */
export function whyNoDelivery(endpoints: Endpoint[], event: RoutableEvent): string {
  if (endpoints.length === 0) return 'no delivery: this tenant has no endpoints yet (POST /v1/endpoints)';
  const receiving = endpoints.filter((e) => endpointReceives(e, event));
  if (receiving.length === 0) return `no delivery: no endpoint of this tenant subscribes to ${event.type} (or its filter leaves this event out)`;
  const reasons = receiving.map((e) =>
    e.status === 'pending_verification'
      ? `${e.id} is pending verification and receives nothing until verified (POST /v1/endpoints/${e.id}/verify)`
      : `${e.id} is disabled (${e.disabledReason ?? 'manual'}); POST /v1/endpoints/${e.id}/enable, then replay`,
  );
  return `no delivery: ${reasons.join('; ')}`;
}
