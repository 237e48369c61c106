import type { Context } from 'koa';
import type { Scope } from '../db/endpoint-repository';
import type { Principal } from './middleware/auth';
import { Problem, validationFailed } from './problems';

const principalOf = (ctx: Context): Principal => ctx.state.principal as Principal;

/** What the caller may see: a tenant key its own tenant, the admin everything. */
export function scopeOf(ctx: Context): Scope {
  const principal = principalOf(ctx);
  return principal.kind === 'tenant' ? { tenantId: principal.tenantId } : {};
}

export function requireAdmin(ctx: Context): void {
  if (principalOf(ctx).kind !== 'admin') throw new Problem(403, 'Forbidden', 'this route needs the admin key');
}

/** The tenant a write belongs to: implied by a tenant key, named in the body by the admin. */
export function tenantForWrite(ctx: Context, given: string | undefined): string {
  const principal = principalOf(ctx);
  if (principal.kind === 'tenant') {
    if (given !== undefined && given !== principal.tenantId) throw validationFailed([{ path: 'tenant_id', message: 'a tenant key writes to its own tenant only' }]);
    return principal.tenantId;
  }
  if (given === undefined) throw validationFailed([{ path: 'tenant_id', message: 'required with the admin key' }]);
  return given;
}
