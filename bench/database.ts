// A fresh database for one run: on the machine's PostgreSQL when it answers, else embedded.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../dev/embedded-postgres';

const LOCAL_ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  /** Where it runs: "local" (the machine's server, shared with anything else using it) or "embedded". */
  kind: 'local' | 'embedded';
  postmasterPid: number | undefined;
  version: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(tmpDir: string, log: (m: string) => void): Promise<BenchDatabase> {
  const admin = new Client({ connectionString: LOCAL_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    log(`no PostgreSQL at ${new URL(LOCAL_ADMIN_URL).host} (${(err as Error).message}); starting an embedded one`);
    return embedded(tmpDir, log);
  }
  try {
    const name = `herald_bench_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const { rows } = await admin.query<{ pid: number; version: string }>('SELECT pg_backend_pid() AS pid, version()');
    const url = new URL(LOCAL_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'local',
      postmasterPid: parentPid(rows[0]!.pid),
      version: rows[0]!.version,
      async drop() {
        const client = new Client({ connectionString: LOCAL_ADMIN_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  } finally {
    await admin.end();
  }
}

async function embedded(tmpDir: string, log: (m: string) => void): Promise<BenchDatabase> {
  const dataDir = path.join(tmpDir, 'postgres');
  const pg = await startEmbeddedPostgres({ dataDir, log: () => undefined });
  log(`embedded PostgreSQL in ${dataDir}`);
  const postmasterPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const client = new Client({ connectionString: pg.databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ version: string }>('SELECT version()');
  await client.end();
  return { url: pg.databaseUrl, kind: 'embedded', postmasterPid, version: rows[0]!.version, drop: pg.stop };
}

/** The postmaster is the parent of the backend serving us (same machine: the URL is loopback). */
function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
