import type { Pool } from 'pg';
import { apiKeyDigest, generateApiKey, visiblePrefix } from '../domain/api-keys';
import { newId } from '../domain/ids';
import type { ApiKey } from '../domain/tenant';
import { decodeCursor, toPage, type Page } from './pagination';

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, tenant_id, prefix, created_at, revoked_at';
const toApiKey = (r: ApiKeyRow): ApiKey => ({ id: r.id, tenantId: r.tenant_id, prefix: r.prefix, createdAt: r.created_at, revokedAt: r.revoked_at });

export function createApiKeyRepository(pool: Pool) {
  return {
    /** Issues a key for the tenant; the returned `key` is the only copy there will ever be. */
    async create(tenantId: string): Promise<ApiKey & { key: string }> {
      const key = generateApiKey();
      const { rows } = await pool.query<ApiKeyRow>(
        `INSERT INTO api_keys (id, tenant_id, prefix, key_digest) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [newId('key'), tenantId, visiblePrefix(key), apiKeyDigest(key)],
      );
      return { ...toApiKey(rows[0]!), key };
    },

    /**
     * The tenant a presented key belongs to, if the key is live. The lookup is by digest through
     * a unique index, so its timing depends on the digest, which tells an attacker nothing about
     * the key.
     */
    async tenantOf(key: string): Promise<string | undefined> {
      const { rows } = await pool.query<{ tenant_id: string }>('SELECT tenant_id FROM api_keys WHERE key_digest = $1 AND revoked_at IS NULL', [
        apiKeyDigest(key),
      ]);
      return rows[0]?.tenant_id;
    },

    async list(tenantId: string, opts: { limit: number; cursor?: string }): Promise<Page<ApiKey>> {
      const { rows } = await pool.query<ApiKeyRow>(
        `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [tenantId, decodeCursor(opts.cursor), opts.limit + 1],
      );
      return toPage(rows.map(toApiKey), opts.limit);
    },

    /** Revokes the key from now on; revoking it again keeps the first time. */
    async revoke(tenantId: string, id: string): Promise<ApiKey | undefined> {
      const { rows } = await pool.query<ApiKeyRow>(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND tenant_id = $2 RETURNING ${COLUMNS}`,
        [id, tenantId],
      );
      return rows[0] && toApiKey(rows[0]);
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
