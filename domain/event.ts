import type { DeliveryRef } from './delivery';

/** An event as a publisher gives it; Herald adds the id and the time it was stored. */
export interface NewEvent {
  tenantId: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  metadata: Record<string, unknown> | null;
  idempotencyKey: string | null;
}

export interface StoredEvent extends NewEvent {
  id: string;
  createdAt: Date;
}

export interface PublishedEvent {
  event: StoredEvent;
  deliveries: DeliveryRef[];
  /** False when an Idempotency-Key matched an earlier event, which is returned instead. */
  created: boolean;
}

/** An endpoint an event is published to. */
export interface Recipient {
  id: string;
  ordering: 'none' | 'fifo';
}
