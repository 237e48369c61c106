// `npm run cluster`: Herald as production runs it, on this machine. The real Temporal server on
// PostgreSQL (unless TEMPORAL_ADDRESS is set), then N API and M worker processes, each its own OS
// process, all on one Herald database. startCluster() is the same for tests, in-process, with
// handles to kill and restart any one process.
//
// Environment (main only): HERALD_CLUSTER_APIS (2), HERALD_CLUSTER_WORKERS (2), PORT (first API,
// 3000; the next ones follow), DATABASE_URL (postgres://postgres@127.0.0.1:5432/herald, created if
// absent; Temporal's databases go on the same server), HERALD_DATA_DIR (.herald: cluster.json,
// logs/, dev-secrets.json), TEMPORAL_ADDRESS (+ TEMPORAL_UI_URL) to use a running Temporal instead,
// HERALD_TEMPORAL_FRONTEND_PORT (7233), HERALD_TEMPORAL_UI_PORT (8233), HERALD_TEMPORAL_DB_NAME and
// HERALD_TEMPORAL_VISIBILITY_DB_NAME (herald_temporal, herald_temporal_visibility).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../config/config';
import { buildWorkflowBundle } from '../worker/workflow-bundle';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { freePortBelow32768 } from './free-port-below';
import { apiReady, startHeraldProcess, workerReady, type HeraldProcess } from './herald-process';
import { findTemporalServerBinaries } from './temporal-server-build';
import { startTemporalServer, type TemporalServer, type TemporalServerOptions } from './temporal-server';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/herald';
const API_GRACE_MS = 10_000;
/** The worker's own shutdown grace is 30 s (worker/create-worker.ts); SIGKILL only after that. */
const WORKER_GRACE_MS = 45_000;

export interface ClusterOptions {
  /** cluster.json, dev-secrets.json (when the keys are not in env) and logs/ go here. */
  dataDir: string;
  apis?: number;
  workers?: number;
  /** Herald's database, created when absent (default postgres://postgres@127.0.0.1:5432/herald). */
  databaseUrl?: string | undefined;
  /** An existing Temporal frontend: no Temporal server is started. */
  temporalAddress?: string | undefined;
  /** With temporalAddress: its Web UI, if any. */
  temporalUiUrl?: string | undefined;
  /** For the Temporal server started here; its PostgreSQL defaults to the one of databaseUrl. */
  temporal?: Partial<Omit<TemporalServerOptions, 'binaries' | 'log'>>;
  /** One per API; free ports when absent. */
  apiPorts?: number[];
  /** Interface the APIs listen on (default 127.0.0.1). */
  host?: string;
  /** Base environment of every Herald process (default process.env), e.g. HERALD_ALLOW_PRIVATE_TARGETS. */
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** Every output line of every process, with its name (api-1, worker-2). Always kept in dataDir/logs. */
  onOutput?: (name: string, line: string) => void;
}

/** The content of cluster.json. */
export interface ClusterInfo {
  apis: { url: string; pid: number }[];
  workers: { pid: number }[];
  temporal: { address: string; ui_url: string | null; pids: number[] };
}

export interface Cluster {
  apis: HeraldProcess[];
  workers: HeraldProcess[];
  /** The Temporal server started here; undefined with temporalAddress. */
  temporal: TemporalServer | undefined;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  databaseUrl: string;
  adminKey: string;
  /** The environment every Herald process got (without PORT). */
  env: NodeJS.ProcessEnv;
  clusterFile: string;
  info(): ClusterInfo;
  /** temporal.restart() plus a fresh cluster.json (the server's pid changes). */
  restartTemporal(opts?: { signal?: NodeJS.Signals }): Promise<void>;
  /** APIs, then workers (letting in-flight attempts finish), then Temporal. */
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  const logDir = path.join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const host = opts.host ?? '127.0.0.1';
  const apiCount = opts.apis ?? 2;
  const workerCount = opts.workers ?? 2;

  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  if (!env.HERALD_ADMIN_KEY || !env.HERALD_ENCRYPTION_KEY) {
    const secrets = loadOrCreateDevSecrets(dataDir);
    env.HERALD_ADMIN_KEY ||= secrets.adminKey;
    env.HERALD_ENCRYPTION_KEY ||= secrets.encryptionKey;
  }
  const databaseUrl = opts.databaseUrl ?? DEFAULT_DATABASE_URL;
  await ensureDatabase(databaseUrl, log);
  env.DATABASE_URL = databaseUrl;
  // As the Docker image does: one workflow bundle for every worker, built here once, instead of each
  // worker (and each restart) running webpack (README "Production").
  if (!env.HERALD_WORKFLOW_BUNDLE) {
    env.HERALD_WORKFLOW_BUNDLE = path.join(dataDir, 'workflow-bundle.js');
    const { sources } = await buildWorkflowBundle(env.HERALD_WORKFLOW_BUNDLE);
    log(`workflow bundle built from ${sources} source files: ${env.HERALD_WORKFLOW_BUNDLE}`);
  }
  // Per-process settings are set below; inherited ones would make every process fight for one port.
  delete env.PORT;
  delete env.HERALD_METRICS_PORT;

  const started: { stop(): Promise<void> }[] = [];
  const stopStarted = async () => {
    for (const item of started.reverse()) await item.stop().catch((err) => log(`stop failed: ${String(err)}`));
  };
  try {
    let temporal: TemporalServer | undefined;
    if (opts.temporalAddress) {
      env.TEMPORAL_ADDRESS = opts.temporalAddress;
      if (opts.temporalUiUrl) env.TEMPORAL_UI_URL = opts.temporalUiUrl;
    } else {
      const binaries = await findTemporalServerBinaries({ log, ui: opts.temporal?.ui !== false });
      temporal = await startTemporalServer({ postgresUrl: databaseUrl, logDir, ...opts.temporal, binaries, log });
      started.push(temporal);
      env.TEMPORAL_ADDRESS = temporal.address;
      if (temporal.uiUrl) env.TEMPORAL_UI_URL = temporal.uiUrl;
    }
    const temporalAddress = env.TEMPORAL_ADDRESS;
    // Validates the whole environment once, before starting processes that would each reject it.
    const config = loadConfig({ ...env, PORT: '0' });
    const connection = await Connection.connect({ address: temporalAddress });
    started.push({ stop: () => connection.close() });

    const apiPorts = [...(opts.apiPorts ?? [])];
    for (let i = apiPorts.length; i < apiCount; i++) apiPorts.push(await freePortBelow32768(host, new Set(apiPorts)));

    let stopping: Promise<void> | undefined;
    // Processes report each (re)start; the first ones come before the handle exists, which then
    // writes the file itself.
    let handleReady = false;
    const rewrite = () => {
      if (handleReady) void writeClusterFile(handle).catch((err) => log(`could not write ${handle.clusterFile}: ${String(err)}`));
    };
    const spawnApi = (i: number) => {
      const url = `http://${host}:${apiPorts[i]}`;
      return startHeraldProcess({
        name: `api-${i + 1}`,
        kind: 'api',
        env: { ...env, PORT: String(apiPorts[i]), HOST: host },
        url,
        ready: apiReady(url),
        graceMs: API_GRACE_MS,
        logFile: path.join(logDir, `api-${i + 1}.log`),
        onLine: (line) => opts.onOutput?.(`api-${i + 1}`, line),
        onStarted: rewrite,
      });
    };
    const identityHost = os.hostname();
    // A worker's pollers land on any partition of the task queue: the root one, and on a server
    // with Temporal's default of 4 partitions (e.g. an external dev server) /_sys/<queue>/1..3.
    const partitions = [config.temporal.taskQueue, ...[1, 2, 3].map((n) => `/_sys/${config.temporal.taskQueue}/${n}`)];
    const isPolling = async (pid: number) => {
      // The SDK's default worker identity is `<pid>@<hostname>`.
      const identity = `${pid}@${identityHost}`;
      for (const name of partitions) {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace: config.temporal.namespace,
          taskQueue: { name, kind: 1 }, // TASK_QUEUE_KIND_NORMAL
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        });
        if (pollers.some((poller) => poller.identity === identity)) return true;
      }
      return false;
    };
    const spawnWorker = (i: number) =>
      startHeraldProcess({
        name: `worker-${i + 1}`,
        kind: 'worker',
        env,
        ready: workerReady(isPolling),
        graceMs: WORKER_GRACE_MS,
        logFile: path.join(logDir, `worker-${i + 1}.log`),
        onLine: (line) => opts.onOutput?.(`worker-${i + 1}`, line),
        onStarted: rewrite,
      });

    // All at once: each process spends seconds compiling TypeScript; migrations serialize on their
    // own advisory lock.
    const results = await Promise.allSettled([
      ...Array.from({ length: apiCount }, (_, i) => spawnApi(i)),
      ...Array.from({ length: workerCount }, (_, i) => spawnWorker(i)),
    ]);
    const processes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // On a failure, everything started is stopped in reverse: Herald processes, then Temporal.
    for (const proc of processes) started.push({ stop: async () => void (await proc.stop()) });
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;

    const handle: Cluster = {
      apis: processes.filter((p) => p.kind === 'api'),
      workers: processes.filter((p) => p.kind === 'worker'),
      temporal,
      temporalAddress,
      temporalUiUrl: env.TEMPORAL_UI_URL,
      databaseUrl,
      adminKey: config.adminKey,
      env,
      clusterFile: path.join(dataDir, 'cluster.json'),
      info: () => clusterInfo(handle),
      async restartTemporal(restartOpts) {
        if (!temporal) throw new Error('this cluster uses an external Temporal server (TEMPORAL_ADDRESS)');
        await temporal.restart(restartOpts);
        rewrite();
      },
      stop() {
        stopping ??= (async () => {
          await Promise.all(handle.apis.map((api) => api.stop()));
          await Promise.all(handle.workers.map((worker) => worker.stop()));
          await connection.close().catch(() => undefined);
          await temporal?.stop();
        })();
        return stopping;
      },
    };
    handleReady = true;
    await writeClusterFile(handle);
    return handle;
  } catch (err) {
    await stopStarted();
    throw err;
  }
}

function clusterInfo(cluster: Cluster): ClusterInfo {
  return {
    apis: cluster.apis.map((api) => ({ url: api.url ?? '', pid: api.pid })),
    workers: cluster.workers.map((worker) => ({ pid: worker.pid })),
    temporal: { address: cluster.temporalAddress, ui_url: cluster.temporalUiUrl ?? null, pids: cluster.temporal?.pids ?? [] },
  };
}

/** Written whole then renamed, so a reader never sees half a file. */
async function writeClusterFile(cluster: Cluster): Promise<void> {
  const tmp = `${cluster.clusterFile}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(clusterInfo(cluster), null, 2)}\n`);
  await rename(tmp, cluster.clusterFile);
}

async function ensureDatabase(databaseUrl: string, log: (msg: string) => void): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL ${databaseUrl} names no database`);
  url.pathname = '/postgres';
  const admin = new PgClient({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } catch (err) {
    // Another process may have created it between the check and CREATE DATABASE.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await admin.end();
  }
}

const say = (msg: string) => console.error(`[cluster] ${msg}`);

/** A non-negative count from the environment, else `fallback`. */
function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 32) throw new Error(`${name} must be an integer from 0 to 32, not ${JSON.stringify(raw)}`);
  return value;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, not ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.HERALD_DATA_DIR ?? '.herald');
  const apis = count('HERALD_CLUSTER_APIS', 2);
  const workers = count('HERALD_CLUSTER_WORKERS', 2);
  // Consecutive ports from PORT (default 3000), as docker-compose.yml publishes its API replicas.
  const firstPort = port('PORT', 3000);
  const cluster = await startCluster({
    dataDir,
    apis,
    workers,
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
    temporalUiUrl: process.env.TEMPORAL_UI_URL || undefined,
    temporal: {
      // The same variables deploy/temporal/server.yaml and ui.yaml read. By default the frontend
      // and UI ports `npm start` uses, so the usual addresses work; internal ports are picked.
      ports: { frontend: port('HERALD_TEMPORAL_FRONTEND_PORT', 7233), ui: port('HERALD_TEMPORAL_UI_PORT', 8233) },
      ...(process.env.HERALD_TEMPORAL_DB_NAME ? { database: process.env.HERALD_TEMPORAL_DB_NAME } : {}),
      ...(process.env.HERALD_TEMPORAL_VISIBILITY_DB_NAME ? { visibilityDatabase: process.env.HERALD_TEMPORAL_VISIBILITY_DB_NAME } : {}),
    },
    apiPorts: Array.from({ length: apis }, (_, i) => firstPort + i),
    log: say,
    onOutput: (name, line) => console.error(`[${name}] ${line}`),
  });
  let stopping = false;
  for (const proc of [...cluster.apis, ...cluster.workers]) {
    void proc.exited.then((reason) => {
      if (!stopping) say(`${proc.name} (pid ${proc.pid}) exited: ${reason}`);
    });
  }
  const info = cluster.info();
  console.log(
    [
      '',
      'Herald cluster is running.',
      ...info.apis.map((api, i) => `  API ${i + 1}:        ${api.url}  (pid ${api.pid})`),
      `  Workers:      ${info.workers.map((w) => `pid ${w.pid}`).join(', ') || 'none'}`,
      `  Temporal:     ${info.temporal.address}${info.temporal.pids.length ? `  (pids ${info.temporal.pids.join(', ')})` : ' (external)'}`,
      `  Temporal UI:  ${info.temporal.ui_url ?? 'none'}`,
      `  Admin key:    ${cluster.adminKey}`,
      `  State:        ${cluster.clusterFile}, logs in ${path.join(dataDir, 'logs')}`,
      ...(info.apis[0] ? [`  Try:          curl -H "Authorization: Bearer ${cluster.adminKey}" ${info.apis[0].url}/v1/tenants`] : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C: no more waiting (the 'exit' handler SIGKILLs whatever still runs).
        say(`${signal} again: killing everything`);
        process.exit(130);
      }
      stopping = true;
      say(`${signal}: stopping (workers finish their in-flight attempts first) ...`);
      resolve();
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
  await cluster.stop();
  say('stopped');
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
