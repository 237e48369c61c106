import type { Logger } from 'pino';
import type { AttemptRecord, DeliveryRepository } from '../db/delivery-repository';
import type { Endpoint, EndpointRepository } from '../db/endpoint-repository';
import type { EventRepository } from '../db/event-repository';
import type { RateLimitRepository } from '../db/rate-limit-repository';
import { redactHeaders } from '../domain/redact';
import type { AttemptOutcome, AttemptRequest } from '../workflows/delivery-types';
import { buildRequest } from './build-request';
import { withHeartbeats } from './heartbeat';
import { TransformError } from '../domain/transforms';
import { attemptDuration, attempts, deliveriesEnded } from '../services/metrics';
import type { HttpSender, OutgoingRequest, SendResult } from './http-sender';

export interface AttemptDeps {
  endpoints: EndpointRepository;
  events: EventRepository;
  deliveries: DeliveryRepository;
  rateLimits: RateLimitRepository;
  sender: HttpSender;
  logger: Logger;
  now?: () => Date;
}

/** Builds, signs and sends one attempt, records it in the log, and tells the workflow what happened. */
export function createAttemptDelivery(deps: AttemptDeps) {
  const now = deps.now ?? (() => new Date());

  const record = (req: AttemptRequest, startedAt: Date, fields: Pick<AttemptRecord, 'durationMs' | 'request' | 'response' | 'error'>) =>
    deps.deliveries.recordAttempt({ deliveryId: req.deliveryId, number: req.attemptNumber, trigger: req.trigger, startedAt, ...fields });

  return (req: AttemptRequest): Promise<AttemptOutcome> => withHeartbeats(() => attempt(req));

  async function attempt(req: AttemptRequest): Promise<AttemptOutcome> {
    // Prepare: the endpoint is read afresh at every attempt, so URL, secret and header changes
    // (and a disable) apply from the next attempt on.
    // Three independent reads at once: one round trip of latency instead of three.
    const [endpoint, event, stored] = await Promise.all([
      deps.endpoints.get(req.endpointId),
      deps.events.get(req.eventId),
      deps.endpoints.secrets(req.endpointId),
    ]);
    if (!endpoint) return cancelled('endpoint deleted');
    if (endpoint.status === 'disabled') return cancelled(`endpoint disabled (${endpoint.disabledReason ?? 'manual'})`);
    if (!event) return cancelled('event no longer retained');
    const startedAt = now();
    const secrets = stored.map((s) => s.secret);
    let request: OutgoingRequest;
    try {
      request = await buildRequest(endpoint, secrets, event, req.deliveryId, startedAt);
    } catch (err) {
      if (!(err instanceof TransformError)) throw err;
      // The same event through the same transform fails the same way: no retry (SPEC §7).
      const error = { code: 'transform_error', message: err.message };
      await record(req, startedAt, { durationMs: 0, request: { url: endpoint.url, headers: {} }, response: null, error });
      attempts.inc({ outcome: 'transform_error', code: 'transform_error' });
      return { result: 'transform_error', message: err.message };
    }
    if (endpoint.rateLimit) {
      const waitMs = await deps.rateLimits.acquire(endpoint.id, endpoint.rateLimit, req.slotReserved);
      // The workflow waits on a durable timer, so a waiting delivery survives any crash.
      if (waitMs > 0) return { result: 'throttled', waitMs };
    }

    const sent = await deps.sender.send(request);
    await record(req, startedAt, {
      durationMs: sent.durationMs,
      request: { url: request.url, headers: redactHeaders(request.headers) },
      response: sent.response ? { status: sent.response.status, headers: sent.response.headers, body: sent.response.body } : null,
      error: errorOf(sent),
    });
    const outcome = await classify(deps, endpoint, sent);
    attempts.inc({ outcome: outcome.result, code: errorOf(sent)?.code ?? 'none' });
    attemptDuration.observe(sent.durationMs / 1000);
    if (outcome.result === 'succeeded') deliveriesEnded.inc({ status: 'succeeded' });
    deps.logger.info(
      { deliveryId: req.deliveryId, eventId: req.eventId, endpointId: req.endpointId, attempt: req.attemptNumber, result: outcome.result, status: sent.response?.status, durationMs: sent.durationMs },
      'delivery attempt',
    );
    return outcome;
  }
}

function cancelled(reason: string): AttemptOutcome {
  deliveriesEnded.inc({ status: 'cancelled' });
  return { result: 'cancelled', reason };
}

function errorOf(sent: SendResult): { code: string; message: string } | null {
  if (sent.error) return sent.error;
  const status = sent.response?.status;
  if (status !== undefined && (status < 200 || status > 299)) return { code: 'http_status', message: `receiver answered ${status}` };
  return null;
}

async function classify(deps: AttemptDeps, endpoint: Endpoint, sent: SendResult): Promise<AttemptOutcome> {
  const status = sent.response?.status;
  if (status !== undefined && status >= 200 && status <= 299) {
    // Only a failing endpoint needs the write; the common case costs no round trip.
    if (endpoint.health !== 'healthy') await deps.endpoints.markHealthy(endpoint.id);
    return { result: 'succeeded', status };
  }
  if (status === 410) {
    await deps.endpoints.setStatus(endpoint.id, 'disabled', 'gone');
    return { result: 'gone', status };
  }
  const failed: AttemptOutcome = { result: 'failed', errorCode: errorOf(sent)?.code ?? 'unknown', retryPolicy: endpoint.retry };
  if (status !== undefined) failed.status = status;
  const retryAfterMs = sent.response?.retryAfterMs;
  if ((status === 429 || status === 503) && retryAfterMs !== undefined) failed.retryAfterMs = retryAfterMs;
  return failed;
}
