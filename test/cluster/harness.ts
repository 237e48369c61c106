// One real cluster per cluster test file: the Temporal server 1.29.1 on a fresh pair of PostgreSQL
// databases, N API and M worker processes (dev/cluster.ts) on a fresh Herald database, all on
// loopback. Everything it starts and creates is stopped and dropped by stop().
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import { startCluster, type Cluster } from '../../dev/cluster';
import { dropTemporalDatabases } from '../../dev/temporal-server-schema';
import { generateMasterKey } from '../../domain/encryption';

// The machine's PostgreSQL (trust auth on loopback); override with TEST_DATABASE_URL.
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestClusterOptions {
  apis?: number;
  workers?: number;
  /** Added to every Herald process's environment. */
  env?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

export interface TestCluster {
  cluster: Cluster;
  /** Herald's database, for checks against what was stored. */
  pool: Pool;
  adminKey: string;
  /** Base URLs of the APIs, in order (api-1 first); a restarted API keeps its URL. */
  apiUrls: string[];
  /** An admin call to API `apiIndex` (default the first). */
  api(method: string, path: string, body?: unknown, opts?: { apiIndex?: number; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** Temporal's and every Herald process's log, for a failure report. */
  logDir: string;
  /** Marks the file as failed: its logs are kept and their tails printed at stop(). */
  failed(): void;
  stop(): Promise<void>;
}

/** Herald variables of the caller's environment must not change what the cluster runs. */
function baseEnv(): NodeJS.ProcessEnv {
  const drop = /^(HERALD_|TEMPORAL_|DATABASE_URL$|PORT$|HOST$|SMTP_URL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !drop.test(key)));
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const suffix = randomBytes(5).toString('hex');
  const heraldDb = `herald_cluster_${suffix}`;
  const temporalDbs = { database: `herald_cluster_${suffix}_temporal`, visibilityDatabase: `herald_cluster_${suffix}_visibility` };
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${heraldDb}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'herald-cluster-'));
  const logDir = path.join(dataDir, 'logs');
  const adminKey = `admin_${randomBytes(16).toString('hex')}`;
  let keepLogs = process.env.HERALD_CLUSTER_KEEP_LOGS === '1';

  const cleanup = async (cluster: Cluster | undefined, pool: Pool | undefined) => {
    await cluster?.stop().catch((err) => console.error(`cluster stop failed: ${String(err)}`));
    await pool?.end().catch(() => undefined);
    await dropTemporalDatabases({ postgresUrl: ADMIN_URL, ...temporalDbs }).catch((err) => console.error(`could not drop Temporal databases: ${String(err)}`));
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${heraldDb} WITH (FORCE)`).finally(() => admin.end());
    if (keepLogs) {
      console.error(`cluster logs kept in ${logDir}`);
      await printLogTails(logDir);
    } else {
      await rm(dataDir, { recursive: true, force: true });
    }
  };

  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({
      dataDir,
      apis: opts.apis ?? 2,
      workers: opts.workers ?? 2,
      databaseUrl: databaseUrl.toString(),
      // No Web UI: nothing here looks at it.
      temporal: { ...temporalDbs, ui: false },
      env: {
        ...baseEnv(),
        HERALD_ADMIN_KEY: adminKey,
        HERALD_ENCRYPTION_KEY: generateMasterKey(),
        HERALD_ALLOW_PRIVATE_TARGETS: 'true',
        // The outbox sweep (part of maintenance) picks up deliveries whose start was lost.
        HERALD_MAINTENANCE_INTERVAL: '2s',
        HERALD_LOG_LEVEL: process.env.HERALD_LOG_LEVEL ?? 'info',
        ...opts.env,
      },
    });
  } catch (err) {
    keepLogs = true;
    await cleanup(undefined, undefined);
    throw err;
  }
  const pool = new Pool({ connectionString: databaseUrl.toString(), max: 3 });
  const started = cluster;
  const apiUrls = started.apis.map((api) => api.url!);

  return {
    cluster: started,
    pool,
    adminKey,
    apiUrls,
    logDir,
    async api(method, urlPath, body, callOpts = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${adminKey}`, ...callOpts.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(apiUrls[callOpts.apiIndex ?? 0] + urlPath, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    failed() {
      keepLogs = true;
    },
    stop: () => cleanup(started, pool),
  };
}

async function printLogTails(logDir: string): Promise<void> {
  const files = await readdir(logDir).catch(() => [] as string[]);
  for (const file of files.sort()) {
    const text = await readFile(path.join(logDir, file), 'utf8').catch(() => '');
    const tail = text.split('\n').slice(-25).join('\n');
    console.error(`--- ${file} (last lines) ---\n${tail}`);
  }
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string | (() => string), check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const label = typeof what === 'string' ? what : what();
      throw new Error(`${label}: not within ${timeoutMs / 1000} s${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(intervalMs);
  }
}
