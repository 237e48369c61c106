import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { unauthorized } from '../problems';

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string };

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Comparing fixed-length digests in constant time leaks neither the key nor its length. */
export function sameKey(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

/** Bearer-key authentication: sets ctx.state.principal or answers 401. */
export function authenticate(adminKey: string): Middleware {
  const adminDigest = digest(adminKey);
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    if (!match || !sameKey(match[1]!, adminDigest)) throw unauthorized();
    ctx.state.principal = { kind: 'admin' } satisfies Principal;
    return next();
  };
}
