import type { Middleware } from 'koa';
import type { ApiKeyRepository } from '../../db/api-key-repository';
import { isTenantKeyShaped } from '../../domain/api-keys';
import { bearerToken, matchesDigest, tokenDigest } from '../../domain/bearer';
import { unauthorized } from '../problems';
import type { Principal } from '../routing/access';

/**
 * Authentication before routing, for every request: a path on the public allowlist passes;
 * anything else needs the admin key or a live tenant key (which sets ctx.state.principal), or it
 * answers 401, whatever route it would have reached.
 */
export function authenticate(opts: {
  adminKey: string;
  apiKeys: Pick<ApiKeyRepository, 'tenantOf'>;
  publicPaths: ReadonlySet<string>;
}): Middleware {
  const adminDigest = tokenDigest(opts.adminKey);
  return async (ctx, next) => {
    if (opts.publicPaths.has(ctx.path)) return next();
    const key = bearerToken(ctx.get('authorization'));
    if (key === undefined) throw unauthorized();
    let principal: Principal;
    if (matchesDigest(key, adminDigest)) {
      principal = { kind: 'admin' };
    } else {
      const tenantId = isTenantKeyShaped(key) ? await opts.apiKeys.tenantOf(key) : undefined;
      if (tenantId === undefined) throw unauthorized();
      principal = { kind: 'tenant', tenantId };
    }
    ctx.state.principal = principal;
    return next();
  };
}
