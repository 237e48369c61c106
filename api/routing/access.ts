import type { Context } from 'koa';
import { Problem, unauthorized } from '../problems';

/**
 * Who may call a route, declared next to it (see secure-router.ts):
 * - `public`: anyone; its path must also be on the authenticator's allowlist (public-paths.ts);
 * - `admin`: the admin key only;
 * - `tenant`: any valid key; the handler scopes what it reads and writes to the key's tenant
 *   (the admin key sees every tenant).
 */
export type Access = 'public' | 'admin' | 'tenant';

/** The caller, set by the authenticator before routing. */
export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string };

export const principalOf = (ctx: Context): Principal | undefined => ctx.state.principal as Principal | undefined;

/** Throws 401/403 unless the caller may use a route with this rule. */
export function enforceAccess(access: Access, ctx: Context): void {
  if (access === 'public') return;
  const principal = principalOf(ctx);
  // The authenticator already refused keyless requests to non-public paths; this is the second lock.
  if (!principal) throw unauthorized();
  if (access === 'admin' && principal.kind !== 'admin') throw new Problem(403, 'Forbidden', 'this route needs the admin key');
}
