import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiKeyRepository } from '../../db/api-key-repository';
import { isTenantKeyShaped } from '../../domain/api-keys';
import { unauthorized } from '../problems';
import type { Principal } from '../routing/access';

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Comparing fixed-length digests in constant time leaks neither the key nor its length. */
export function sameKey(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

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
  const adminDigest = digest(opts.adminKey);
  return async (ctx, next) => {
    if (opts.publicPaths.has(ctx.path)) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    if (!match) throw unauthorized();
    const key = match[1]!;
    let principal: Principal;
    if (sameKey(key, adminDigest)) {
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
