import type { Logger } from 'pino';
import type { AttemptInputsReader } from '../db/attempt-inputs';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { RateLimitRepository } from '../db/rate-limit-repository';
import type { AttemptRecord } from '../domain/delivery';
import type { Endpoint } from '../domain/endpoint';
import { redactHeaders } from '../domain/redact';
import { storableHeaders, storableText } from '../domain/storable-text';
import { TransformError } from '../domain/transforms';
import type { Metrics } from '../observability/metrics';
import { buildRequest } from '../outbound/build-request';
import type { HttpSender, OutgoingRequest, SendResult } from '../outbound/http-sender';
import type { AttemptOutcome, AttemptRequest } from '../workflows/delivery-types';

export interface AttemptDeps {
  endpoints: EndpointRepository;
  loadAttemptInputs: AttemptInputsReader;
  deliveries: DeliveryRepository;
  rateLimits: RateLimitRepository;
  sender: HttpSender;
  logger: Logger;
  metrics: Pick<Metrics, 'attempts' | 'attemptDuration'>;
  now?: () => Date;
}

type AttemptFields = Pick<AttemptRecord, 'durationMs' | 'request' | 'response' | 'error'>;

/**
 * One attempt of a delivery: prepare (read the endpoint and event afresh, build and sign the
 * request), send, record it in the attempt log, and tell the workflow what happened. HTTP
 * failures are outcomes; a thrown error means the attempt itself could not run.
 */
export function createAttemptDelivery(deps: AttemptDeps) {
  const now = deps.now ?? (() => new Date());

  // Whatever the receiver sent back is made storable first: a NUL byte in a body must be logged,
  // not fail the attempt and send it again.
  const record = (req: AttemptRequest, startedAt: Date, fields: AttemptFields) =>
    deps.deliveries.recordAttempt({
      deliveryId: req.deliveryId,
      number: req.attemptNumber,
      trigger: req.trigger,
      startedAt,
      durationMs: fields.durationMs,
      request: fields.request,
      response: fields.response && { status: fields.response.status, headers: storableHeaders(fields.response.headers), body: storableText(fields.response.body) },
      error: fields.error && { code: fields.error.code, message: storableText(fields.error.message) },
    });

  return async function attemptDelivery(req: AttemptRequest): Promise<AttemptOutcome> {
    // Endpoint changes (URL, secret, headers, a disable) apply from the next attempt on.
    const { endpoint, event, secrets: stored } = await deps.loadAttemptInputs(req.endpointId, req.eventId);
    if (!endpoint) return { result: 'cancelled', reason: 'endpoint deleted' };
    if (endpoint.status === 'disabled') return { result: 'cancelled', reason: `endpoint disabled (${endpoint.disabledReason ?? 'manual'})` };
    if (!event) return { result: 'cancelled', reason: 'event no longer retained' };
    const startedAt = now();
    let request: OutgoingRequest;
    try {
      request = await buildRequest(endpoint, stored.map((s) => s.secret), event, req.deliveryId, startedAt);
    } catch (err) {
      if (!(err instanceof TransformError)) throw err;
      // The same event through the same transform fails the same way: no retry.
      await record(req, startedAt, { durationMs: 0, request: { url: endpoint.url, headers: {} }, response: null, error: { code: 'transform_error', message: err.message } });
      deps.metrics.attempts.inc({ outcome: 'transform_error', code: 'transform_error' });
      // The message stays in the attempt log: it may quote the payload, which history must not hold.
      return { result: 'transform_error', message: 'the endpoint transform failed on this event (see the attempt log)' };
    }
    if (endpoint.rateLimit) {
      const waitMs = await deps.rateLimits.acquire(endpoint.id, endpoint.rateLimit, req.slotReserved);
      // The workflow waits on a durable timer, so a waiting delivery survives any crash.
      if (waitMs > 0) return { result: 'throttled', waitMs };
    }

    const sent = await deps.sender.send(request);
    const error = errorOf(sent);
    await record(req, startedAt, {
      durationMs: sent.durationMs,
      request: { url: request.url, headers: redactHeaders(request.headers) },
      response: sent.response ? { status: sent.response.status, headers: sent.response.headers, body: sent.response.body } : null,
      error,
    });
    const outcome = await classify(deps, endpoint, sent, error);
    deps.metrics.attempts.inc({ outcome: outcome.result, code: error?.code ?? 'none' });
    deps.metrics.attemptDuration.observe(sent.durationMs / 1000);
    deps.logger.info(
      { deliveryId: req.deliveryId, eventId: req.eventId, endpointId: req.endpointId, attempt: req.attemptNumber, result: outcome.result, status: sent.response?.status, durationMs: sent.durationMs },
      'delivery attempt',
    );
    return outcome;
  };
}

function errorOf(sent: SendResult): { code: string; message: string } | null {
  if (sent.error) return sent.error;
  const status = sent.response?.status;
  if (status !== undefined && (status < 200 || status > 299)) return { code: 'http_status', message: `receiver answered ${status}` };
  return null;
}

async function classify(deps: AttemptDeps, endpoint: Endpoint, sent: SendResult, error: { code: string } | null): Promise<AttemptOutcome> {
  const status = sent.response?.status;
  if (status !== undefined && status >= 200 && status <= 299) {
    // Only a failing endpoint needs the write; the common case costs no round trip.
    if (endpoint.health !== 'healthy') await deps.endpoints.markHealthy(endpoint.id);
    return { result: 'succeeded', status };
  }
  if (status === 410) {
    // Recorded as a disable whose owner is still to be told; the delivery-failed workflow tells them.
    await deps.endpoints.disableIfActive(endpoint.id, 'gone');
    return { result: 'gone', status };
  }
  const failed: AttemptOutcome = { result: 'failed', errorCode: error?.code ?? 'unknown', retryPolicy: endpoint.retry };
  if (status !== undefined) failed.status = status;
  const retryAfterMs = sent.response?.retryAfterMs;
  if ((status === 429 || status === 503) && retryAfterMs !== undefined) failed.retryAfterMs = retryAfterMs;
  return failed;
}
