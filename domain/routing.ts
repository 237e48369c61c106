import { compileFilter, type Filter } from './filters';
import { subscribesTo } from './subscriptions';

export interface RoutableEndpoint {
  eventTypes: string[];
  filter: unknown;
}

export interface RoutableEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown> | null;
}

/** An endpoint receives an event when its type matches `event_types` and its filter (if any) matches (README, "Routing, payloads and pacing"). */
export function endpointReceives(endpoint: RoutableEndpoint, event: RoutableEvent): boolean {
  if (!subscribesTo(endpoint.eventTypes, event.type)) return false;
  if (endpoint.filter === null || endpoint.filter === undefined) return true;
  return compileFilter(endpoint.filter as Filter)(event);
}
