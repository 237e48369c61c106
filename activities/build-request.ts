import type { Endpoint } from '../db/endpoint-repository';
import { defaultEnvelope, type EnvelopeSource } from '../domain/envelope';
import { signatureHeaders } from '../domain/signing';
import type { OutgoingRequest } from './http-sender';

/** The exact request one attempt sends: body, Herald's headers, custom headers and a fresh signature. */
export function buildRequest(endpoint: Endpoint, secrets: string[], event: EnvelopeSource, deliveryId: string, at: Date): OutgoingRequest {
  const body = JSON.stringify(defaultEnvelope(event));
  const signed = signatureHeaders({
    config: endpoint.signature,
    secrets,
    deliveryId,
    eventType: event.type,
    timestamp: Math.floor(at.getTime() / 1000),
    body,
  });
  // Custom headers first: Herald's own and the signature's always win (they are also refused at save).
  const headers = {
    ...endpoint.headers,
    'content-type': 'application/json',
    'herald-event-type': event.type,
    'herald-delivery-id': deliveryId,
    ...signed,
  };
  return { url: endpoint.url, headers, body, timeoutMs: endpoint.timeoutMs };
}
