import type { ApiKey } from '../../domain/tenant';
import type { AppDeps } from '../deps';
import { notFound } from '../problems';
import { listQuery } from '../schemas/common';
import { createApiKeySchema } from '../schemas/tenant';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';

// The key itself is never part of this: it is shown once, in the answer to POST.
const apiKeyToWire = (k: ApiKey) => ({ id: k.id, tenant_id: k.tenantId, prefix: k.prefix, created_at: k.createdAt, revoked_at: k.revokedAt });

/** A tenant's API keys, issued and revoked by the admin. */
export function registerApiKeyRoutes(router: SecureRouter, deps: AppDeps): void {
  const tenantOf = async (id: string) => {
    const tenant = await deps.tenants.get(id);
    if (!tenant) throw notFound('tenant');
    return tenant;
  };

  router.post('/v1/tenants/:id/api-keys', 'admin', async (ctx) => {
    parseInput(createApiKeySchema, ctx.state.body ?? {});
    const tenant = await tenantOf(ctx.params.id!);
    const created = await deps.apiKeys.create(tenant.id);
    ctx.status = 201;
    ctx.body = { id: created.id, key: created.key, tenant_id: created.tenantId, prefix: created.prefix, created_at: created.createdAt };
  });

  router.get('/v1/tenants/:id/api-keys', 'admin', async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query');
    const tenant = await tenantOf(ctx.params.id!);
    const page = await deps.apiKeys.list(tenant.id, { limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
    ctx.body = { data: page.data.map(apiKeyToWire), next_cursor: page.nextCursor };
  });

  router.delete('/v1/tenants/:id/api-keys/:keyId', 'admin', async (ctx) => {
    if (!(await deps.apiKeys.revoke(ctx.params.id!, ctx.params.keyId!))) throw notFound('API key');
    ctx.status = 204;
  });
}
