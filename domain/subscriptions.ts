/** Events Herald raises itself: only an endpoint that names them receives them, never `*` or `group.*`. */
export const SYSTEM_EVENT_TYPES: readonly string[] = ['webhook.failed', 'endpoint.disabled', 'webhook.verification'];

/** Whether an endpoint subscribed to `patterns` (exact names, `group.*`, `*`) receives `eventType`. */
export function subscribesTo(patterns: readonly string[], eventType: string): boolean {
  if (patterns.includes(eventType)) return true;
  if (SYSTEM_EVENT_TYPES.includes(eventType)) return false;
  return patterns.some((p) => p === '*' || (p.endsWith('.*') && eventType.startsWith(p.slice(0, -1))));
}
