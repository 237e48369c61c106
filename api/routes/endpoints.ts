import type { EndpointSettings } from '../../domain/endpoint';
import { generateSecret, isAsymmetric } from '../../domain/secrets';
import { checkTransform, type Transform } from '../../domain/transforms';
import type { AppDeps } from '../deps';
import { settingsFromWire } from '../endpoint-settings';
import { notFound, validationFailed } from '../problems';
import type { SecureRouter } from '../routing/secure-router';
import { tenantListQuery } from '../schemas/common';
import { createEndpointSchema, customHeaderFaults, patchEndpointSchema, secretFault } from '../schemas/endpoint';
import { listScope, scopeOf, tenantForWrite } from '../scope';
import { createEndpointVerifier } from '../../app/verify-endpoint';
import { parseInput } from '../validate';
import { endpointToWire } from '../wire';
import { loadEndpoint } from './endpoint-loader';

/** A transform is run on a sample event when saved; one that fails is refused (README, "Routing, payloads and pacing"). */
async function dryRunTransform(transform: Transform | null | undefined): Promise<void> {
  if (!transform) return;
  const check = await checkTransform(transform);
  if (!check.ok) throw validationFailed([{ path: 'transform', message: check.message }]);
}

/** Creating, reading, changing and deleting endpoints. */
export function registerEndpointRoutes(router: SecureRouter, deps: AppDeps): void {
  const createSchema = createEndpointSchema(deps.config.urlPolicy);
  const patchSchema = patchEndpointSchema(deps.config.urlPolicy);
  const verifyEndpoint = createEndpointVerifier(deps);

  router.post('/v1/endpoints', 'tenant', async (ctx) => {
    const input = parseInput(createSchema, ctx.state.body);
    const tenantId = tenantForWrite(ctx, input.tenant_id);
    if (!(await deps.tenants.get(tenantId))) throw validationFailed([{ path: 'tenant_id', message: 'no such tenant' }]);
    await dryRunTransform(input.transform);
    let endpoint = await deps.endpoints.create({
      tenantId,
      settings: settingsFromWire(input) as EndpointSettings,
      status: input.verify ? 'pending_verification' : 'active',
      secret: input.secret ?? generateSecret(input.signature.scheme),
    });
    if (input.verify) endpoint = (await verifyEndpoint(endpoint)).endpoint;
    ctx.status = 201;
    ctx.body = endpointToWire(endpoint);
  });

  router.get('/v1/endpoints', 'tenant', async (ctx) => {
    const query = parseInput(tenantListQuery, ctx.query, 'query');
    const page = await deps.endpoints.list(listScope(ctx, query.tenant_id), { limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
    ctx.body = { data: page.data.map(endpointToWire), next_cursor: page.nextCursor };
  });

  router.get('/v1/endpoints/:id', 'tenant', async (ctx) => {
    ctx.body = endpointToWire(await loadEndpoint(deps, ctx));
  });

  router.patch('/v1/endpoints/:id', 'tenant', async (ctx) => {
    const current = await loadEndpoint(deps, ctx);
    const input = parseInput(patchSchema, ctx.state.body ?? {});
    const faults = customHeaderFaults(input.headers ?? current.headers, input.signature ?? current.signature);
    if (faults.length > 0) throw validationFailed(faults);
    await dryRunTransform(input.transform);
    // Into or out of Ed25519, no secret can serve both: the endpoint gets a new one for its new
    // scheme (GET .../secret or .../public-key shows it). Between HMAC schemes the secret stays.
    let newSecret: string | undefined;
    const scheme = input.signature?.scheme;
    if (scheme !== undefined && scheme !== current.signature.scheme) {
      if (isAsymmetric(scheme) !== isAsymmetric(current.signature.scheme)) {
        newSecret = generateSecret(scheme);
      } else {
        const [secret] = await deps.endpoints.secrets(current.id);
        const fault = secret && secretFault(input.signature!, secret.secret);
        if (fault) throw validationFailed([{ path: 'signature.scheme', message: `the current secret cannot sign for this scheme (${fault}): rotate the secret first` }]);
      }
    }
    const updated = await deps.endpoints.update(current.id, scopeOf(ctx), settingsFromWire(input), newSecret);
    if (!updated) throw notFound('endpoint');
    ctx.body = endpointToWire(updated);
  });

  router.delete('/v1/endpoints/:id', 'tenant', async (ctx) => {
    if (!(await deps.endpoints.delete(ctx.params.id!, scopeOf(ctx)))) throw notFound('endpoint');
    ctx.status = 204;
  });
}
