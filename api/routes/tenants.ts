import type { AppDeps } from '../deps';
import { notFound } from '../problems';
import { listQuery } from '../schemas/common';
import { createTenantSchema, patchTenantSchema } from '../schemas/tenant';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';
import { tenantToWire } from '../wire';

/** Tenants are the admin's to manage. */
export function registerTenantRoutes(router: SecureRouter, deps: AppDeps): void {
  router.post('/v1/tenants', 'admin', async (ctx) => {
    const input = parseInput(createTenantSchema, ctx.state.body);
    const tenant = await deps.tenants.create({ name: input.name, alertEmail: input.alert_email });
    ctx.status = 201;
    ctx.body = tenantToWire(tenant);
  });

  router.get('/v1/tenants', 'admin', async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query');
    const page = await deps.tenants.list({ limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
    ctx.body = { data: page.data.map(tenantToWire), next_cursor: page.nextCursor };
  });

  router.get('/v1/tenants/:id', 'admin', async (ctx) => {
    const tenant = await deps.tenants.get(ctx.params.id!);
    if (!tenant) throw notFound('tenant');
    ctx.body = tenantToWire(tenant);
  });

  router.patch('/v1/tenants/:id', 'admin', async (ctx) => {
    const input = parseInput(patchTenantSchema, ctx.state.body ?? {});
    const tenant = await deps.tenants.update(ctx.params.id!, { name: input.name, alertEmail: input.alert_email });
    if (!tenant) throw notFound('tenant');
    ctx.body = tenantToWire(tenant);
  });

  router.delete('/v1/tenants/:id', 'admin', async (ctx) => {
    if (!(await deps.tenants.delete(ctx.params.id!))) throw notFound('tenant');
    ctx.status = 204;
  });
}
