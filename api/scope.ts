import type { Context } from 'koa';
import type { Scope } from '../domain/scope';
import { validationFailed } from './problems';
import { principalOf, type Principal } from './routing/access';

// Routes that call these declared access `tenant` or `admin`, so a principal is always set.
const callerOf = (ctx: Context): Principal => principalOf(ctx)!;

/** What the caller may see: a tenant key its own tenant, the admin everything. */
export function scopeOf(ctx: Context): Scope {
  const principal = callerOf(ctx);
  return principal.kind === 'admin' ? {} : { tenantId: principal.tenantId };
}

/** What a list shows: a tenant's own objects, or for the admin all of them or the tenant it asks for. */
export function listScope(ctx: Context, requested: string | undefined): Scope {
  const scope = scopeOf(ctx);
  return scope.tenantId === undefined && requested !== undefined ? { tenantId: requested } : scope;
}

/** The tenant a write belongs to: implied by a tenant key, named in the body by the admin. */
export function tenantForWrite(ctx: Context, given: string | undefined): string {
  const principal = callerOf(ctx);
  if (principal.kind !== 'admin') {
    if (given !== undefined && given !== principal.tenantId) throw validationFailed([{ path: 'tenant_id', message: 'a tenant key writes to its own tenant only' }]);
    return principal.tenantId;
  }
  if (given === undefined) throw validationFailed([{ path: 'tenant_id', message: 'required with the admin key' }]);
  return given;
}
