import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { SecretBox } from '../domain/encryption';

/** The portal signing key, kept encrypted like endpoint secrets and shared by every API process. */
export function createPortalKeyRepository(pool: Pool, secretBox: SecretBox) {
  const fresh = () => randomBytes(32).toString('base64');
  return {
    /** The current key, made on first use (two processes racing both end up with the same row). */
    async current(): Promise<Buffer> {
      await pool.query('INSERT INTO portal_signing_key (key_encrypted) VALUES ($1) ON CONFLICT DO NOTHING', [secretBox.encrypt(fresh())]);
      const { rows } = await pool.query<{ key_encrypted: string }>('SELECT key_encrypted FROM portal_signing_key');
      return Buffer.from(secretBox.decrypt(rows[0]!.key_encrypted), 'base64');
    },

    /** A new key: every portal link signed before stops working at once. */
    async rotate(): Promise<void> {
      await pool.query(
        `INSERT INTO portal_signing_key (key_encrypted) VALUES ($1)
         ON CONFLICT (singleton) DO UPDATE SET key_encrypted = EXCLUDED.key_encrypted, created_at = now()`,
        [secretBox.encrypt(fresh())],
      );
    },
  };
}

export type PortalKeyRepository = ReturnType<typeof createPortalKeyRepository>;
