import type { Context } from 'koa';
import { Problem, unauthorized } from '../problems';

/**
 * Who may call a route, declared next to it (see secure-router.ts):
 * - `public`: anyone; its path must also be on the authenticator's allowlist (public-paths.ts);
 * - `admin`: the admin key only;
 * - `tenant`: any valid credential, a portal session included; the handler scopes what it reads
 *   and writes to the caller's tenant (the admin key sees every tenant);
 * - `api-key`: the admin key or a tenant API key, not a portal session: what a platform's backend
 *   does (publishing events), which the console never does.
 */
export type Access = 'public' | 'admin' | 'tenant' | 'api-key';

/** The caller, set by the authenticator before routing. */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'tenant'; tenantId: string }
  /** Signed in through a portal link: one tenant, until the link expires. */
  | { kind: 'portal'; tenantId: string; expiresAt: Date };

export const principalOf = (ctx: Context): Principal | undefined => ctx.state.principal as Principal | undefined;

/** Throws 401/403 unless the caller may use a route with this rule. */
export function enforceAccess(access: Access, ctx: Context): void {
  if (access === 'public') return;
  const principal = principalOf(ctx);
  // The authenticator already refused keyless requests to non-public paths; this is the second lock.
  if (!principal) throw unauthorized();
  if (access === 'admin' && principal.kind !== 'admin') throw new Problem(403, 'Forbidden', 'this route needs the admin key');
  if (access === 'api-key' && principal.kind === 'portal') throw new Problem(403, 'Forbidden', 'this route needs an API key; a portal session cannot use it');
}
