import { buildRequest } from '../outbound/build-request';
import type { HttpSender, SendResult } from '../outbound/http-sender';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { Endpoint } from '../domain/endpoint';
import { newId } from '../domain/ids';

export interface Sample {
  type: string;
  data: unknown;
  timeoutMs: number;
}

/**
 * Sends a one-off signed request to an endpoint now, outside any delivery workflow (verification,
 * test events). It is signed exactly like a real delivery so the receiver's verifier is exercised.
 */
export function createSampleSender(deps: { endpoints: EndpointRepository; sender: HttpSender }) {
  return async function sendSample(endpoint: Endpoint, sample: Sample): Promise<{ id: string; result: SendResult }> {
    const secrets = (await deps.endpoints.secrets(endpoint.id)).map((s) => s.secret);
    const event = { id: newId('vfy'), type: sample.type, occurredAt: new Date(), data: sample.data, metadata: null };
    const request = await buildRequest({ ...endpoint, timeoutMs: sample.timeoutMs }, secrets, event, event.id, new Date());
    return { id: event.id, result: await deps.sender.send(request) };
  };
}

export const isSuccess = (result: SendResult): boolean => {
  const status = result.response?.status;
  return status !== undefined && status >= 200 && status <= 299;
};

/** A sample attempt as the API shows it. */
export const sampleResultToWire = (result: SendResult) => ({
  success: isSuccess(result),
  status: result.response?.status ?? null,
  duration_ms: result.durationMs,
  response: result.response ? { headers: result.response.headers, body: result.response.body } : null,
  error: result.error ?? null,
});
