import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiKeyRepository } from '../../db/api-key-repository';
import { isTenantKeyShaped } from '../../domain/api-keys';
import { unauthorized } from '../problems';

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string };

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Comparing fixed-length digests in constant time leaks neither the key nor its length. */
export function sameKey(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

/**
 * Bearer-key authentication: the admin key (from config) or a live tenant key sets
 * ctx.state.principal; anything else answers 401.
 */
export function authenticate(opts: { adminKey: string; apiKeys: Pick<ApiKeyRepository, 'tenantOf'> }): Middleware {
  const adminDigest = digest(opts.adminKey);
  return async (ctx, next) => {
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
