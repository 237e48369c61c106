import type { AppDeps } from '../deps';
import { conflict } from '../problems';
import type { SecureRouter } from '../routing/secure-router';
import { deliveryFilterOf, listDeliveriesQuery } from '../schemas/delivery';
import { replaySchema, testEventSchema } from '../schemas/endpoint';
import { createEndpointVerifier } from '../../app/verify-endpoint';
import { listDeliveries } from '../../app/list-deliveries';
import { createReplayer, REPLAY_LIMIT } from '../../app/replay';
import { createSampleSender, sampleResultToWire } from '../../app/send-sample';
import { parseInput } from '../validate';
import { deliverySummaryToWire, endpointToWire, pageToWire } from '../wire';
import { loadEndpoint } from './endpoint-loader';

/** What one does to an endpoint: verify, disable and enable it, test it, replay to it, list its deliveries. */
export function registerEndpointActionRoutes(router: SecureRouter, deps: AppDeps): void {
  const verifyEndpoint = createEndpointVerifier(deps);
  const sendSample = createSampleSender(deps);
  const replay = createReplayer(deps);

  router.get('/v1/endpoints/:id/deliveries', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    const q = parseInput(listDeliveriesQuery.omit({ tenant_id: true, endpoint_id: true }), ctx.query, 'query');
    const page = await listDeliveries(deps, deliveryFilterOf(q), { tenantId: endpoint.tenantId, endpointId: endpoint.id }, q);
    ctx.body = pageToWire(page, deliverySummaryToWire);
  });

  router.post('/v1/endpoints/:id/verify', 'tenant', async (ctx) => {
    const { endpoint, result } = await verifyEndpoint(await loadEndpoint(deps, ctx));
    ctx.body = {
      endpoint: endpointToWire(endpoint),
      verification: { status: result.response?.status ?? null, duration_ms: result.durationMs, error: result.error ?? null },
    };
  });

  router.post('/v1/endpoints/:id/disable', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    ctx.body = endpointToWire((await deps.endpoints.setStatus(endpoint.id, 'disabled', 'manual')) ?? endpoint);
  });

  router.post('/v1/endpoints/:id/enable', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    if (endpoint.status === 'pending_verification') throw conflict('the endpoint is not verified yet: POST /v1/endpoints/:id/verify');
    ctx.body = endpointToWire((await deps.endpoints.setStatus(endpoint.id, 'active')) ?? endpoint);
  });

  router.post('/v1/endpoints/:id/test', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    const input = parseInput(testEventSchema, ctx.state.body ?? {});
    const type = input.event_type ?? endpoint.eventTypes.find((t) => !t.includes('*')) ?? 'webhook.test';
    const data = input.data ?? { test: true, message: `Test event from Herald for ${endpoint.id}` };
    const { id, result } = await sendSample(endpoint, { type, data, timeoutMs: endpoint.timeoutMs });
    ctx.body = { id, event_type: type, ...sampleResultToWire(result) };
  });

  router.post('/v1/endpoints/:id/replay', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    const input = parseInput(replaySchema, ctx.state.body);
    const replayed = await replay(endpoint, {
      since: new Date(input.since),
      until: input.until ? new Date(input.until) : new Date(),
      status: input.status,
    });
    ctx.status = 202;
    ctx.body = { replayed: replayed.length, limit: REPLAY_LIMIT, deliveries: replayed.map((d) => ({ id: d.id, event_id: d.eventId })) };
  });
}
