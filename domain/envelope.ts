/** The event fields a payload is built from. */
export interface EnvelopeSource {
  id: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  metadata: Record<string, unknown> | null;
}

/** (README, "Routing, payloads and pacing") default body: `{id, type, timestamp, data}`, plus `metadata` when the event has any. */
export function defaultEnvelope(event: EnvelopeSource): Record<string, unknown> {
  const body: Record<string, unknown> = { id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data };
  if (event.metadata && Object.keys(event.metadata).length > 0) body.metadata = event.metadata;
  return body;
}
