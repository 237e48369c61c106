/** A customer of the platform: it owns endpoints and events, and gets the alert mails. */
export interface Tenant {
  id: string;
  name: string;
  alertEmail: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A tenant API key as stored: its digest and visible prefix, never the key itself. */
export interface ApiKey {
  id: string;
  tenantId: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}
