import { generateSecret } from '../../domain/secrets';
import { checkTransform, type Transform } from '../../domain/transforms';
import type { EndpointSettings } from '../../db/endpoint-repository';
import type { AppDeps } from '../deps';
import { conflict, notFound, validationFailed } from '../problems';
import { listQuery } from '../schemas/common';
import {
  createEndpointSchema,
  customHeaderFaults,
  patchEndpointSchema,
  replaySchema,
  rotateSecretSchema,
  secretFault,
  testEventSchema,
} from '../schemas/endpoint';
import { scopeOf, tenantForWrite } from '../scope';
import { createEndpointVerifier } from '../services/endpoint-verification';
import { createReplayer, REPLAY_LIMIT } from '../services/replay';
import { createSampleSender, sampleResultToWire } from '../services/sample-sender';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';
import { endpointToWire } from '../wire';
import { listDeliveries } from '../services/list-deliveries';
import { listDeliveriesQuery } from '../schemas/delivery';

/** SPEC §7: a transform is run on a sample event when saved; one that fails is refused. */
async function dryRunTransform(transform: Transform | null): Promise<void> {
  if (!transform) return;
  const check = await checkTransform(transform);
  if (!check.ok) throw validationFailed([{ path: 'transform', message: check.message }]);
}

export function registerEndpointRoutes(router: SecureRouter, deps: AppDeps): void {  const schemaOpts = deps.config.urlPolicy;
  const createSchema = createEndpointSchema(schemaOpts);
  const patchSchema = patchEndpointSchema(schemaOpts);
  const verifyEndpoint = createEndpointVerifier(deps);
  const sendSample = createSampleSender(deps);
  const replay = createReplayer(deps);

  const load = async (id: string, scope: ReturnType<typeof scopeOf>) => {
    const endpoint = await deps.endpoints.get(id, scope);
    if (!endpoint) throw notFound('endpoint');
    return endpoint;
  };

  router.post('/v1/endpoints', 'tenant', async (ctx) => {
    const input = parseInput(createSchema, ctx.state.body);
    const tenantId = tenantForWrite(ctx, input.tenant_id);
    if (!(await deps.tenants.get(tenantId))) throw validationFailed([{ path: 'tenant_id', message: 'no such tenant' }]);
    const settings: EndpointSettings = {
      url: input.url,
      description: input.description,
      eventTypes: input.event_types,
      filter: input.filter,
      retry: input.retry,
      timeoutMs: input.timeout,
      signature: input.signature,
      headers: input.headers,
      rateLimit: input.rate_limit,
      ordering: input.ordering,
      transform: input.transform,
      metadata: input.metadata,
    };
    await dryRunTransform(input.transform);
    let endpoint = await deps.endpoints.create({
      tenantId,
      settings,
      status: input.verify ? 'pending_verification' : 'active',
      secret: input.secret ?? generateSecret(),
    });
    if (input.verify) endpoint = (await verifyEndpoint(endpoint)).endpoint;
    ctx.status = 201;
    ctx.body = endpointToWire(endpoint);
  });

  router.get('/v1/endpoints', 'tenant', async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query');
    const page = await deps.endpoints.list(scopeOf(ctx), { limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
    ctx.body = { data: page.data.map(endpointToWire), next_cursor: page.nextCursor };
  });

  router.get('/v1/endpoints/:id', 'tenant', async (ctx) => {
    ctx.body = endpointToWire(await load(ctx.params.id!, scopeOf(ctx)));
  });

  router.patch('/v1/endpoints/:id', 'tenant', async (ctx) => {
    const current = await load(ctx.params.id!, scopeOf(ctx));
    const input = parseInput(patchSchema, ctx.state.body ?? {});
    const faults = customHeaderFaults(input.headers ?? current.headers, input.signature ?? current.signature);
    if (faults.length > 0) throw validationFailed(faults);
    if (input.transform) await dryRunTransform(input.transform);
    if (input.signature && input.signature.scheme !== current.signature.scheme) {
      const [secret] = await deps.endpoints.secrets(current.id);
      const fault = secret && secretFault(input.signature, secret.secret);
      if (fault) throw validationFailed([{ path: 'signature.scheme', message: `the current secret cannot sign for this scheme (${fault}): rotate the secret first` }]);
    }
    const updated = await deps.endpoints.update(current.id, scopeOf(ctx), {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.event_types !== undefined && { eventTypes: input.event_types }),
      ...(input.retry !== undefined && { retry: input.retry }),
      ...(input.timeout !== undefined && { timeoutMs: input.timeout }),
      ...(input.signature !== undefined && { signature: input.signature }),
      ...(input.headers !== undefined && { headers: input.headers }),
      ...(input.rate_limit !== undefined && { rateLimit: input.rate_limit }),
      ...(input.ordering !== undefined && { ordering: input.ordering }),
      ...(input.filter !== undefined && { filter: input.filter }),
      ...(input.transform !== undefined && { transform: input.transform }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    });
    if (!updated) throw notFound('endpoint');
    ctx.body = endpointToWire(updated);
  });

  router.delete('/v1/endpoints/:id', 'tenant', async (ctx) => {
    if (!(await deps.endpoints.delete(ctx.params.id!, scopeOf(ctx)))) throw notFound('endpoint');
    ctx.status = 204;
  });

  router.get('/v1/endpoints/:id/deliveries', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    const q = parseInput(listDeliveriesQuery.omit({ tenant_id: true, endpoint_id: true }), ctx.query, 'query');
    ctx.body = await listDeliveries(deps, q, { tenantId: endpoint.tenantId, endpointId: endpoint.id });
  });

  router.get('/v1/endpoints/:id/secret', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    const [current, ...previous] = await deps.endpoints.secrets(endpoint.id);
    ctx.body = { secret: current?.secret ?? null, previous: previous.map((p) => ({ secret: p.secret, expires_at: p.expiresAt })) };
  });

  router.post('/v1/endpoints/:id/verify', 'tenant', async (ctx) => {
    const { endpoint, result } = await verifyEndpoint(await load(ctx.params.id!, scopeOf(ctx)));
    ctx.body = {
      endpoint: endpointToWire(endpoint),
      verification: { status: result.response?.status ?? null, duration_ms: result.durationMs, error: result.error ?? null },
    };
  });

  router.post('/v1/endpoints/:id/disable', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    ctx.body = endpointToWire((await deps.endpoints.setStatus(endpoint.id, 'disabled', 'manual')) ?? endpoint);
  });

  router.post('/v1/endpoints/:id/enable', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    if (endpoint.status === 'pending_verification') throw conflict('the endpoint is not verified yet: POST /v1/endpoints/:id/verify');
    ctx.body = endpointToWire((await deps.endpoints.setStatus(endpoint.id, 'active')) ?? endpoint);
  });

  router.post('/v1/endpoints/:id/secret/rotate', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    const input = parseInput(rotateSecretSchema, ctx.state.body ?? {});
    const secret = input.secret ?? generateSecret();
    const fault = secretFault(endpoint.signature, secret);
    if (fault) throw validationFailed([{ path: 'secret', message: fault }]);
    await deps.endpoints.rotateSecret(endpoint.id, secret, input.grace_period);
    const [current, ...previous] = await deps.endpoints.secrets(endpoint.id);
    ctx.body = { secret: current?.secret ?? null, previous: previous.map((p) => ({ secret: p.secret, expires_at: p.expiresAt })) };
  });

  router.post('/v1/endpoints/:id/test', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
    const input = parseInput(testEventSchema, ctx.state.body ?? {});
    const type = input.event_type ?? endpoint.eventTypes.find((t) => !t.includes('*')) ?? 'webhook.test';
    const data = input.data ?? { test: true, message: `Test event from Herald for ${endpoint.id}` };
    const { id, result } = await sendSample(endpoint, { type, data, timeoutMs: endpoint.timeoutMs });
    ctx.body = { id, event_type: type, ...sampleResultToWire(result) };
  });

  router.post('/v1/endpoints/:id/replay', 'tenant', async (ctx) => {
    const endpoint = await load(ctx.params.id!, scopeOf(ctx));
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
