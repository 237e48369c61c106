/** One event to one endpoint: what starting, listing and replaying a delivery need to know. */
export interface DeliveryRef {
  id: string;
  eventId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  /** Held in its endpoint's FIFO line. */
  ordered: boolean;
}

/** One attempt in a delivery's log: what was sent and what came back. No secrets. */
export interface AttemptRecord {
  deliveryId: string;
  number: number;
  trigger: 'scheduled' | 'manual';
  startedAt: Date;
  durationMs: number;
  request: { url: string; headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: { code: string; message: string } | null;
}
