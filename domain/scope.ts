/** What a caller may see: one tenant's objects, or (tenantId undefined, the admin) everyone's. */
export interface Scope {
  tenantId?: string | undefined;
}
