import type { Pool } from 'pg';
import { newId } from '../domain/ids';
import type { Tenant } from '../domain/tenant';
import { decodeCursor, toPage, type Page } from './pagination';

interface TenantRow {
  id: string;
  name: string;
  alert_email: string;
  created_at: Date;
  updated_at: Date;
}

const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, alertEmail: r.alert_email, createdAt: r.created_at, updatedAt: r.updated_at });

export function createTenantRepository(pool: Pool) {
  return {
    async create(input: { name: string; alertEmail: string }): Promise<Tenant> {
      const { rows } = await pool.query<TenantRow>('INSERT INTO tenants (id, name, alert_email) VALUES ($1, $2, $3) RETURNING *', [
        newId('tnt'),
        input.name,
        input.alertEmail,
      ]);
      return toTenant(rows[0]!);
    },

    async get(id: string): Promise<Tenant | undefined> {
      const { rows } = await pool.query<TenantRow>('SELECT * FROM tenants WHERE id = $1', [id]);
      return rows[0] && toTenant(rows[0]);
    },

    async list(opts: { limit: number; cursor?: string }): Promise<Page<Tenant>> {
      const { rows } = await pool.query<TenantRow>('SELECT * FROM tenants WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [
        decodeCursor(opts.cursor),
        opts.limit + 1,
      ]);
      return toPage(rows.map(toTenant), opts.limit);
    },

    async update(id: string, changes: { name?: string | undefined; alertEmail?: string | undefined }): Promise<Tenant | undefined> {
      const { rows } = await pool.query<TenantRow>(
        `UPDATE tenants SET name = coalesce($2, name), alert_email = coalesce($3, alert_email), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, changes.name ?? null, changes.alertEmail ?? null],
      );
      return rows[0] && toTenant(rows[0]);
    },

    /** Deletes the tenant; its endpoints, events, deliveries and API keys go with it (ON DELETE CASCADE). */
    async delete(id: string): Promise<boolean> {
      const result = await pool.query('DELETE FROM tenants WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}

export type TenantRepository = ReturnType<typeof createTenantRepository>;
