import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { createHerald } from '../../composition/herald';
import { loadConfig } from '../../config/config';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { freePortBelow32768 } from '../../dev/free-port-below';
import { startTemporalDevServer } from '../../dev/temporal-dev-server';
import { findTemporalCli } from '../../dev/temporal-cli';
import { generateMasterKey } from '../../domain/encryption';
import { createHeraldWorker, type HeraldWorker } from '../../worker/create-worker';
import { createTestDatabase } from './database';

let runtimeInstalled = false;

export interface StackOptions {
  /** Temporal keeps its state in this file, so restartTemporal() can stop and start it. */
  temporalDbFile?: string;
  /** Use this database (migrated here) instead of a fresh one on the machine's PostgreSQL. */
  databaseUrl?: string;
}

async function migrated(url: string) {
  const pool = createPool(url, 2);
  await migrate(pool);
  await pool.end();
  return { url, drop: async () => undefined };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

/**
 * Ports for a dev server that is restarted on them: below the range outgoing connections use, so
 * that none takes them while it is down (a worker reconnecting to it may even connect to itself).
 */
async function portsToRestartOn(): Promise<{ port: number; uiPort: number }> {
  const port = await freePortBelow32768();
  return { port, uiPort: await freePortBelow32768('127.0.0.1', new Set([port])) };
}

/**
 * Herald as a user runs it, in-process: a real Temporal dev server, a fresh PostgreSQL
 * database, the worker and the API on loopback. One per test file.
 */
export async function startStack(env: Record<string, string> = {}, opts: StackOptions = {}) {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const cliPath = await findTemporalCli();
  const temporalOpts = opts.temporalDbFile ? { cliPath, dbFile: opts.temporalDbFile, ...(await portsToRestartOn()) } : { cliPath };
  let temporal = await startTemporalDevServer(temporalOpts);
  const database = opts.databaseUrl ? await migrated(opts.databaseUrl) : await createTestDatabase();
  const adminKey = `admin_${randomBytes(16).toString('hex')}`;
  const heraldEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_UI_URL: temporal.uiUrl,
    TEMPORAL_TASK_QUEUE: `herald-test-${randomBytes(4).toString('hex')}`,
    HERALD_ADMIN_KEY: adminKey,
    HERALD_ENCRYPTION_KEY: generateMasterKey(),
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    HERALD_LOG_LEVEL: process.env.HERALD_LOG_LEVEL ?? 'silent',
    ...env,
  };
  const config = loadConfig(heraldEnv);
  const logger = pino({ level: config.logLevel });
  const deps = await createHerald(config, logger, { withWorker: true });
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let worker: HeraldWorker | undefined;
  const startWorker = async () => {
    worker = await createHeraldWorker(deps);
    void worker.run();
  };
  await startWorker();

  async function api(method: string, path: string, body?: unknown, opts: { key?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.key ?? adminKey}`, ...opts.headers };
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, ...(payload !== undefined && { body: payload }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  return {
    config,
    /** The environment a separate Herald process (worker/main.ts) needs to join this stack. */
    env: heraldEnv,
    pool: deps.pool,
    deps,
    baseUrl,
    adminKey,
    api,
    async stopWorker() {
      await worker?.shutdown();
      worker = undefined;
    },
    startWorker,
    /** Stops the Temporal server; startTemporal() brings it back on the same file and port (temporalDbFile only). */
    async stopTemporal() {
      await temporal.stop();
    },
    async startTemporal() {
      temporal = await startTemporalDevServer(temporalOpts);
    },
    async restartTemporal() {
      await this.stopTemporal();
      await this.startTemporal();
    },
    async stop() {
      await worker?.shutdown();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await deps.close();
      await database.drop();
      await temporal.stop();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
