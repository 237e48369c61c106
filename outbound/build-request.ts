import type { Endpoint } from '../domain/endpoint';
import { defaultEnvelope, type EnvelopeSource } from '../domain/envelope';
import { canSignWith } from '../domain/secrets';
import { signatureHeaders } from '../domain/signing';
import { applyTransform, type Transform } from '../domain/transforms';
import type { OutgoingRequest } from './http-sender';

/**
 * The exact request one attempt sends: body (the endpoint's transform, or the default envelope),
 * Herald's headers, custom headers and a fresh signature. A failing transform throws TransformError.
 */
export async function buildRequest(endpoint: Endpoint, secrets: string[], event: EnvelopeSource, deliveryId: string, at: Date): Promise<OutgoingRequest> {
  const payload = endpoint.transform ? await applyTransform(endpoint.transform as Transform, { ...event, deliveryId }) : defaultEnvelope(event);
  const body = JSON.stringify(payload);
  const [current, ...previous] = secrets;
  const signed = signatureHeaders({
    config: endpoint.signature,
    // The current secret always signs (it was checked against the scheme when saved); previous
    // ones only where they still can, e.g. not after a switch to standard-webhooks.
    secrets: current === undefined ? [] : [current, ...previous.filter((s) => canSignWith(endpoint.signature.scheme, s))],
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
