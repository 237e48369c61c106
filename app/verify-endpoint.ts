import { randomBytes } from 'node:crypto';
import type { HttpSender, SendResult } from '../outbound/http-sender';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { Endpoint } from '../domain/endpoint';
import { createSampleSender, isSuccess } from './send-sample';

/** The receiver must answer the verification request 2xx within this time (README, "API"). */
const VERIFICATION_TIMEOUT_MS = 3_000;

/**
 * Sends a signed `webhook.verification` request; a 2xx in time makes the endpoint `active`.
 * A failure leaves it `pending_verification`, receiving nothing until verified.
 */
export function createEndpointVerifier(deps: { endpoints: EndpointRepository; sender: HttpSender }) {
  const sendSample = createSampleSender(deps);
  return async function verifyEndpoint(endpoint: Endpoint): Promise<{ endpoint: Endpoint; result: SendResult }> {
    const challenge = randomBytes(16).toString('hex');
    const { result } = await sendSample(endpoint, {
      type: 'webhook.verification',
      data: { endpoint_id: endpoint.id, challenge },
      timeoutMs: VERIFICATION_TIMEOUT_MS,
    });
    // A disabled endpoint stays disabled: verifying is not enabling.
    if (isSuccess(result) && endpoint.status === 'pending_verification') {
      const verified = await deps.endpoints.setStatus(endpoint.id, 'active');
      return { endpoint: verified ?? endpoint, result };
    }
    return { endpoint, result };
  };
}
