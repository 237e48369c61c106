import { signPortalToken } from '../../domain/portal-tokens';
import type { AppDeps } from '../deps';
import { notFound } from '../problems';
import { principalOf } from '../routing/access';
import type { SecureRouter } from '../routing/secure-router';
import { portalLinkSchema } from '../schemas/tenant';
import { parseInput } from '../validate';

/** Who is calling (the console asks this first), and the customer-portal links that sign a tenant in. */
export function registerPortalRoutes(router: SecureRouter, deps: AppDeps): void {
  router.get('/v1/me', 'tenant', async (ctx) => {
    const principal = principalOf(ctx)!;
    if (principal.kind === 'admin') {
      ctx.body = { kind: 'admin', tenant_id: null, tenant_name: null, expires_at: null };
      return;
    }
    const tenant = await deps.tenants.get(principal.tenantId);
    ctx.body = {
      kind: principal.kind,
      tenant_id: principal.tenantId,
      tenant_name: tenant?.name ?? null,
      expires_at: principal.kind === 'portal' ? principal.expiresAt : null,
    };
  });

  // A short-lived link that opens the console as one tenant; the token rides in the URL fragment,
  // which browsers never send to a server or put in a Referer.
  router.post('/v1/tenants/:id/portal-links', 'admin', async (ctx) => {
    const input = parseInput(portalLinkSchema, ctx.state.body ?? {});
    const tenant = await deps.tenants.get(ctx.params.id!);
    if (!tenant) throw notFound('tenant');
    const expiresAt = new Date(Date.now() + input.ttl);
    const token = signPortalToken({ tenantId: tenant.id, expiresAt }, await deps.portalKey.current());
    ctx.status = 201;
    ctx.body = { url: `${deps.config.publicUrl}/console#portal=${token}`, expires_at: expiresAt };
  });

  router.post('/v1/portal-signing-key/rotate', 'admin', async (ctx) => {
    await deps.portalKey.rotate();
    ctx.body = { rotated: true };
  });
}
