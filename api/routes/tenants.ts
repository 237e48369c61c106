import Router from '@koa/router';
import type { AppDeps } from '../deps';
import { notFound } from '../problems';
import { listQuery } from '../schemas/common';
import { createTenantSchema, patchTenantSchema } from '../schemas/tenant';
import { requireAdmin } from '../scope';
import { parseInput } from '../validate';
import { tenantToWire } from '../wire';
import { apiKeysRouter } from './api-keys';

export function tenantsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/tenants' });
  router.use(async (ctx, next) => {
    requireAdmin(ctx);
    return next();
  });

  router.post('/', async (ctx) => {
    const input = parseInput(createTenantSchema, ctx.state.body);
    const tenant = await deps.tenants.create({ name: input.name, alertEmail: input.alert_email });
    ctx.status = 201;
    ctx.body = tenantToWire(tenant);
  });

  router.get('/', async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query');
    const page = await deps.tenants.list({ limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) });
    ctx.body = { data: page.data.map(tenantToWire), next_cursor: page.nextCursor };
  });

  router.get('/:id', async (ctx) => {
    const tenant = await deps.tenants.get(ctx.params.id!);
    if (!tenant) throw notFound('tenant');
    ctx.body = tenantToWire(tenant);
  });

  router.patch('/:id', async (ctx) => {
    const input = parseInput(patchTenantSchema, ctx.state.body ?? {});
    const tenant = await deps.tenants.update(ctx.params.id!, { name: input.name, alertEmail: input.alert_email });
    if (!tenant) throw notFound('tenant');
    ctx.body = tenantToWire(tenant);
  });

  router.delete('/:id', async (ctx) => {
    if (!(await deps.tenants.delete(ctx.params.id!))) throw notFound('tenant');
    ctx.status = 204;
  });

  const apiKeys = apiKeysRouter(deps);
  router.use('/:id/api-keys', apiKeys.routes(), apiKeys.allowedMethods());

  return router;
}
