import type { Middleware } from 'koa';
import type { ApiKeyRepository } from '../../db/api-key-repository';
import { isTenantKeyShaped } from '../../domain/api-keys';
import { bearerToken, matchesDigest, tokenDigest } from '../../domain/bearer';
import { isPortalTokenShaped, verifyPortalToken } from '../../domain/portal-tokens';
import type { PortalKeyRepository } from '../../db/portal-key-repository';
import type { TenantRepository } from '../../db/tenant-repository';
import { unauthorized } from '../problems';
import type { Principal } from '../routing/access';

/**
 * Authentication before routing, for every request: a path on the public allowlist passes;
 * anything else needs the admin key, a live tenant key or an unexpired portal token of an existing
 * tenant (which sets ctx.state.principal), or it answers 401, whatever route it would have reached.
 */
export function authenticate(opts: {
  adminKey: string;
  apiKeys: Pick<ApiKeyRepository, 'tenantOf'>;
  portalKey: Pick<PortalKeyRepository, 'current'>;
  tenants: Pick<TenantRepository, 'get'>;
  publicPaths: ReadonlySet<string>;
}): Middleware {
  const adminDigest = tokenDigest(opts.adminKey);

  async function principalOf(credential: string): Promise<Principal | undefined> {
    if (matchesDigest(credential, adminDigest)) return { kind: 'admin' };
    if (isTenantKeyShaped(credential)) {
      const tenantId = await opts.apiKeys.tenantOf(credential);
      return tenantId === undefined ? undefined : { kind: 'tenant', tenantId };
    }
    if (isPortalTokenShaped(credential)) {
      const claims = verifyPortalToken(credential, await opts.portalKey.current());
      // A deleted tenant's links die with it.
      if (!claims || !(await opts.tenants.get(claims.tenantId))) return undefined;
      return { kind: 'portal', tenantId: claims.tenantId, expiresAt: claims.expiresAt };
    }
    return undefined;
  }

  return async (ctx, next) => {
    if (opts.publicPaths.has(ctx.path)) return next();
    const credential = bearerToken(ctx.get('authorization'));
    const principal = credential === undefined ? undefined : await principalOf(credential);
    if (!principal) throw unauthorized();
    ctx.state.principal = principal;
    return next();
  };
}
