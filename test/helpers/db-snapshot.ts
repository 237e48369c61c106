import { escapeIdentifier, type Pool } from 'pg';

/**
 * A fingerprint of every row of every Herald table: equal fingerprints mean nothing was stored,
 * changed or deleted in between.
 */
export async function snapshotTables(pool: Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ digest: string | null; count: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS count FROM ${escapeIdentifier(name)} t`,
    );
    snapshot[name] = `${rows[0]!.count}:${rows[0]!.digest ?? ''}`;
  }
  return snapshot;
}
