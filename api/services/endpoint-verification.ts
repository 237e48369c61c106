import { randomBytes } from 'node:crypto';
import { buildRequest } from '../../activities/build-request';
import type { HttpSender, SendResult } from '../../activities/http-sender';
import type { Endpoint, EndpointRepository } from '../../db/endpoint-repository';
import { newId } from '../../domain/ids';

/** SPEC §8: the receiver must answer the verification request 2xx within this time. */
const VERIFICATION_TIMEOUT_MS = 3_000;

/**
 * Sends a signed `webhook.verification` request; a 2xx in time makes the endpoint `active`.
 * A failure leaves it `pending_verification`, receiving nothing until verified.
 */
export function createEndpointVerifier(deps: { endpoints: EndpointRepository; sender: HttpSender }) {
  return async function verifyEndpoint(endpoint: Endpoint): Promise<{ endpoint: Endpoint; result: SendResult }> {
    const secrets = (await deps.endpoints.secrets(endpoint.id)).map((s) => s.secret);
    const challenge = randomBytes(16).toString('hex');
    const event = { id: newId('vfy'), type: 'webhook.verification', occurredAt: new Date(), data: { endpoint_id: endpoint.id, challenge }, metadata: null };
    const request = buildRequest({ ...endpoint, timeoutMs: VERIFICATION_TIMEOUT_MS }, secrets, event, event.id, new Date());
    const result = await deps.sender.send(request);
    const status = result.response?.status;
    // A disabled endpoint stays disabled: verifying is not enabling.
    if (status !== undefined && status >= 200 && status <= 299 && endpoint.status === 'pending_verification') {
      const verified = await deps.endpoints.setStatus(endpoint.id, 'active');
      return { endpoint: verified ?? endpoint, result };
    }
    return { endpoint, result };
  };
}
