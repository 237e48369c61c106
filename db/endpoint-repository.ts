import type { Pool, PoolClient } from 'pg';
import type { SecretBox } from '../domain/encryption';
import { newId } from '../domain/ids';
import type { Endpoint, EndpointSecret, EndpointSettings, EndpointStatus } from '../domain/endpoint';
import type { Scope } from '../domain/scope';
import { COLUMNS, toEndpoint, toParam, type EndpointRow } from './endpoint-rows';
import { decodeCursor, toPage, type Page } from './pagination';
import { inTransaction } from './transaction';


export function createEndpointRepository(pool: Pool, secretBox: SecretBox) {
  async function insertSecret(db: Pool | PoolClient, endpointId: string, secret: string): Promise<void> {
    await db.query('INSERT INTO endpoint_secrets (endpoint_id, secret_encrypted) VALUES ($1, $2)', [endpointId, secretBox.encrypt(secret)]);
  }

  return {
    /** Creates the endpoint and its first secret in one transaction: both or neither. */
    async create(input: { tenantId: string; settings: EndpointSettings; status: EndpointStatus; secret: string }): Promise<Endpoint> {
      return inTransaction(pool, async (client) => {
        const entries = Object.entries(COLUMNS) as [keyof EndpointSettings, string][];
        const columns = ['id', 'tenant_id', 'status', ...entries.map(([, c]) => c)];
        const values = [newId('ep'), input.tenantId, input.status, ...entries.map(([k, c]) => toParam(c, input.settings[k]))];
        const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
        const { rows } = await client.query<EndpointRow>(`INSERT INTO endpoints (${columns.join(', ')}) VALUES (${placeholders}) RETURNING *`, values);
        const endpoint = toEndpoint(rows[0]!);
        await insertSecret(client, endpoint.id, input.secret);
        return endpoint;
      });
    },

    async get(id: string, scope: Scope = {}): Promise<Endpoint | undefined> {
      const { rows } = await pool.query<EndpointRow>('SELECT * FROM endpoints WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)', [
        id,
        scope.tenantId ?? null,
      ]);
      return rows[0] && toEndpoint(rows[0]);
    },

    async list(scope: Scope, opts: { limit: number; cursor?: string }): Promise<Page<Endpoint>> {
      const { rows } = await pool.query<EndpointRow>(
        `SELECT * FROM endpoints WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3`,
        [scope.tenantId ?? null, decodeCursor(opts.cursor), opts.limit + 1],
      );
      return toPage(rows.map(toEndpoint), opts.limit);
    },

    /** Every endpoint of a tenant, whatever its status. */
    async listByTenant(tenantId: string): Promise<Endpoint[]> {
      const { rows } = await pool.query<EndpointRow>('SELECT * FROM endpoints WHERE tenant_id = $1 ORDER BY id', [tenantId]);
      return rows.map(toEndpoint);
    },

    /** The endpoints of a tenant that may receive new events now. */
    async listReceiving(tenantId: string): Promise<Endpoint[]> {
      const { rows } = await pool.query<EndpointRow>("SELECT * FROM endpoints WHERE tenant_id = $1 AND status = 'active'", [tenantId]);
      return rows.map(toEndpoint);
    },

    /**
     * Changes settings; with `newSecret` (a switch of signature scheme that no old secret can
     * serve) the secrets are replaced at once, in the same transaction.
     */
    async update(id: string, scope: Scope, changes: Partial<EndpointSettings>, newSecret?: string): Promise<Endpoint | undefined> {
      const entries = (Object.entries(changes) as [keyof EndpointSettings, unknown][]).filter(([, v]) => v !== undefined);
      const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 3}`);
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<EndpointRow>(
          `UPDATE endpoints SET ${[...sets, 'updated_at = now()'].join(', ')}
           WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) RETURNING *`,
          [id, scope.tenantId ?? null, ...entries.map(([k, v]) => toParam(COLUMNS[k], v))],
        );
        if (!rows[0]) return undefined;
        if (newSecret !== undefined) {
          await client.query('UPDATE endpoint_secrets SET expires_at = now() WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())', [id]);
          await insertSecret(client, id, newSecret);
        }
        return toEndpoint(rows[0]);
      });
    },

    /** A status set by a person (enable, manual disable, verification): nothing for Herald to notify. */
    async setStatus(id: string, status: EndpointStatus, disabledReason: string | null = null): Promise<Endpoint | undefined> {
      const { rows } = await pool.query<EndpointRow>(
        `UPDATE endpoints SET status = $2, disabled_reason = $3, disabled_at = NULL, disable_notified_at = NULL, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, status, disabledReason],
      );
      return rows[0] && toEndpoint(rows[0]);
    },

    /** A success after failures: cheap when already healthy, which is the common case. */
    async markHealthy(id: string): Promise<void> {
      await pool.query(
        "UPDATE endpoints SET health = 'healthy', failing_since = NULL, updated_at = now() WHERE id = $1 AND health <> 'healthy'",
        [id],
      );
    },

    /** The first exhaustion starts the "failing since" clock; later ones keep it running. */
    async markFailing(id: string): Promise<void> {
      await pool.query(
        "UPDATE endpoints SET health = 'failing', failing_since = now(), updated_at = now() WHERE id = $1 AND health <> 'failing'",
        [id],
      );
    },

    /** Active endpoints whose health has been `failing` without a break for longer than `periodMs`. */
    async listFailingLongerThan(periodMs: number): Promise<Endpoint[]> {
      const { rows } = await pool.query<EndpointRow>(
        `SELECT * FROM endpoints WHERE status = 'active' AND health = 'failing'
           AND failing_since < now() - $1 * interval '1 millisecond'`,
        [periodMs],
      );
      return rows.map(toEndpoint);
    },

    /**
     * Claims the endpoint's alert slot: true (and the slot taken) when no alert went out within
     * `intervalMs`. One UPDATE, so concurrent failures of one endpoint cannot both claim it.
     */
    async claimAlertSlot(id: string, intervalMs: number): Promise<boolean> {
      const result = await pool.query(
        `UPDATE endpoints SET last_alert_at = now()
         WHERE id = $1 AND (last_alert_at IS NULL OR last_alert_at <= now() - $2 * interval '1 millisecond')`,
        [id, intervalMs],
      );
      return (result.rowCount ?? 0) > 0;
    },

    /** Gives back a claimed slot when the mail could not be sent, so the retry may claim it again. */
    async releaseAlertSlot(id: string): Promise<void> {
      await pool.query('UPDATE endpoints SET last_alert_at = NULL WHERE id = $1', [id]);
    },

    /** Rotation: the current secret keeps verifying until the grace period ends; `secret` becomes current. */
    async rotateSecret(id: string, secret: string, graceMs: number): Promise<void> {
      await inTransaction(pool, async (client) => {
        await client.query(
          "UPDATE endpoint_secrets SET expires_at = now() + $2 * interval '1 millisecond' WHERE endpoint_id = $1 AND expires_at IS NULL",
          [id, graceMs],
        );
        await insertSecret(client, id, secret);
      });
    },

    /**
     * Herald disables an active endpoint (reason `failing` or `gone`) and records that its owner
     * is still to be told; undefined when it was not active (already disabled, or deleted).
     */
    async disableIfActive(id: string, reason: 'failing' | 'gone'): Promise<Endpoint | undefined> {
      const { rows } = await pool.query<EndpointRow>(
        `UPDATE endpoints SET status = 'disabled', disabled_reason = $2, disabled_at = now(), disable_notified_at = NULL, updated_at = now()
         WHERE id = $1 AND status = 'active' RETURNING *`,
        [id, reason],
      );
      return rows[0] && toEndpoint(rows[0]);
    },

    /** A disable by Herald whose owner has not been told yet, with how long the endpoint had failed. */
    async pendingDisableNotice(id: string): Promise<{ endpoint: Endpoint; disabledAt: Date; failingForMs: number | null } | undefined> {
      const { rows } = await pool.query<EndpointRow & { disabled_at: Date; failing_ms: number | null }>(
        `SELECT *, (extract(epoch FROM disabled_at - failing_since) * 1000)::float8 AS failing_ms FROM endpoints
         WHERE id = $1 AND status = 'disabled' AND disabled_at IS NOT NULL AND disable_notified_at IS NULL`,
        [id],
      );
      const row = rows[0];
      return row && { endpoint: toEndpoint(row), disabledAt: row.disabled_at, failingForMs: row.failing_ms };
    },

    async markDisableNotified(id: string, disabledAt: Date): Promise<void> {
      await pool.query('UPDATE endpoints SET disable_notified_at = now() WHERE id = $1 AND disabled_at = $2', [id, disabledAt]);
    },

    /**
     * Disables whose notice is still owed: every auto-disable (the maintenance run is its notifier),
     * and a 410's once its own notifier has had `graceMs` (it failed, or its worker died).
     */
    async listUnnotifiedDisables(graceMs: number, limit: number): Promise<string[]> {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM endpoints WHERE status = 'disabled' AND disable_notified_at IS NULL
           AND (disabled_reason = 'failing' OR disabled_at < now() - $1 * interval '1 millisecond')
         ORDER BY disabled_at LIMIT $2`,
        [graceMs, limit],
      );
      return rows.map((r) => r.id);
    },

    async delete(id: string, scope: Scope): Promise<boolean> {
      const result = await pool.query('DELETE FROM endpoints WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)', [id, scope.tenantId ?? null]);
      return (result.rowCount ?? 0) > 0;
    },

    /** Every unexpired secret of a tenant's endpoints that sign with `scheme`, current ones first. */
    async signingKeysOf(tenantId: string, scheme = 'standard-webhooks-ed25519'): Promise<(EndpointSecret & { endpointId: string })[]> {
      const { rows } = await pool.query<{ endpoint_id: string; secret_encrypted: string; expires_at: Date | null }>(
        `SELECT s.endpoint_id, s.secret_encrypted, s.expires_at FROM endpoint_secrets s JOIN endpoints e ON e.id = s.endpoint_id
         WHERE e.tenant_id = $1 AND e.signature->>'scheme' = $2 AND (s.expires_at IS NULL OR s.expires_at > now())
         ORDER BY e.id, s.expires_at IS NULL DESC, s.created_at DESC`,
        [tenantId, scheme],
      );
      return rows.map((r) => ({ endpointId: r.endpoint_id, secret: secretBox.decrypt(r.secret_encrypted), expiresAt: r.expires_at }));
    },

    /** The current secret first, then rotated-out ones that still verify. */
    async secrets(endpointId: string): Promise<EndpointSecret[]> {
      const { rows } = await pool.query<{ secret_encrypted: string; expires_at: Date | null }>(
        `SELECT secret_encrypted, expires_at FROM endpoint_secrets
         WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())
         ORDER BY expires_at IS NULL DESC, created_at DESC`,
        [endpointId],
      );
      return rows.map((r) => ({ secret: secretBox.decrypt(r.secret_encrypted), expiresAt: r.expires_at }));
    },
  };
}

export type EndpointRepository = ReturnType<typeof createEndpointRepository>;
