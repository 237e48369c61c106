// Herald as separate processes, the way production runs it: a Temporal dev server (as `npm start`
// starts it, state in a SQLite file), a fresh database, then the API and the worker as children.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import type { VisibilityIndexes } from '../dev/dev-server-visibility-indexes';
import { freePort } from '../dev/free-port';
import { findTemporalCli } from '../dev/temporal-cli';
import { startTemporalServer } from '../dev/temporal-server';
import { findTemporalServerBinaries, TEMPORAL_SERVER_VERSION } from '../dev/temporal-server-build';
import { dropTemporalDatabases } from '../dev/temporal-server-schema';
import { startTemporalDevServer } from '../dev/temporal-dev-server';
import { generateMasterKey } from '../domain/encryption';
import { buildWorkflowBundle } from '../worker/workflow-bundle';
import { profileArgs, spawnNode, type Child } from './children';
import { createBenchDatabase, type BenchDatabase } from './database';
import { cliVersion } from './machine';
import { childrenOf, commandLine } from './proc-stats';

export const HERALD_TASK_QUEUE = 'herald-bench';
/** The PostgreSQL server the `cluster` Temporal keeps its databases on. */
const CLUSTER_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const READY_TIMEOUT_MS = 90_000;

export interface Stack {
  tmpDir: string;
  temporal: { address: string; pid: number | undefined; version: string };
  client: Client;
  database: BenchDatabase;
  /** Under the `single` topology the API and the worker are one process: both are this child. */
  api: Child;
  apiUrl: string;
  worker: Child;
  /** Every worker process (the separate topology may run several). */
  workers: Child[];
  adminKey: string;
}

/** Starts everything; each started piece pushes its own stop onto `stops` (run in reverse). */
export async function startStack(opts: {
  profileDir: string | undefined;
  temporalDb: 'file' | 'memory';
  devVisibilityIndexes: VisibilityIndexes;
  devServerArgs: string[];
  topology: 'separate' | 'single';
  temporal: 'dev' | 'cluster';
  workers: number;
  workflowBundle: 'prebuilt' | 'at-start';
  stops: (() => Promise<void>)[];
  log: (m: string) => void;
}): Promise<Stack> {
  const { stops, log } = opts;
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'herald-bench-'));
  stops.push(() => rm(tmpDir, { recursive: true, force: true }));

  const temporalServer = opts.temporal === 'cluster' ? await startClusterTemporal(stops, log) : await startDevServer(opts, tmpDir, stops, log);
  const connection = await Connection.connect({ address: temporalServer.address });
  stops.push(() => connection.close());
  const client = new Client({ connection });

  const database = await createBenchDatabase(tmpDir, log);
  stops.push(database.drop);
  log(`database ${database.kind === 'local' ? 'on the local PostgreSQL' : 'embedded'}: ${database.url.replace(/:[^:@/]*@/, ':***@')}`);
  const pool = createPool(database.url, 1);
  await migrate(pool);
  await pool.end();

  const adminKey = `bench_${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: HERALD_TASK_QUEUE,
    TEMPORAL_UI_URL: temporalServer.uiUrl,
    HERALD_ADMIN_KEY: adminKey,
    HERALD_ENCRYPTION_KEY: generateMasterKey(),
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    HERALD_LOG_LEVEL: 'warn',
    PORT: String(port),
    // `npm start` keeps its generated keys here; the keys are given, but keep it out of the repo.
    HERALD_DATA_DIR: tmpDir,
    ...(opts.workflowBundle === 'prebuilt' && { HERALD_WORKFLOW_BUNDLE: await prebuiltWorkflowBundle(tmpDir, log) }),
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  const temporal = { address: temporalServer.address, pid: temporalServer.pid, version: temporalServer.version };
  if (opts.topology === 'single') {
    // The API with its own worker, as production can run it (HERALD_API_WITH_WORKER) and as
    // `npm start` runs them: the same dependencies and the same eager starts.
    log('starting Herald (API and worker in one process) ...');
    const together = { ...env, HERALD_API_WITH_WORKER: 'true' };
    const herald = spawnNode({ name: 'herald', script: 'api/server.ts', env: together, nodeArgs: profileArgs(opts.profileDir, 'herald'), log });
    stops.push(() => herald.stop(40_000));
    await waitReady(`${apiUrl}/readyz`, herald);
    return { tmpDir, temporal, client, database, api: herald, apiUrl, worker: herald, workers: [herald], adminKey };
  }
  log('starting the Herald API and worker as child processes ...');
  const api = spawnNode({ name: 'api', script: 'api/server.ts', env, nodeArgs: profileArgs(opts.profileDir, 'api'), log });
  stops.push(() => api.stop());
  const workers = Array.from({ length: opts.workers }, (_, i) => {
    const name = i === 0 ? 'worker' : `worker ${i + 1}`;
    const worker = spawnNode({ name, script: 'worker/main.ts', env, nodeArgs: profileArgs(opts.profileDir, name.replace(' ', '-')), log });
    // The worker waits up to its 30 s shutdown grace for in-flight attempts.
    stops.push(() => worker.stop(40_000));
    return worker;
  });
  await waitReady(`${apiUrl}/readyz`, api);
  return { tmpDir, temporal, client, database, api, apiUrl, worker: workers[0]!, workers, adminKey };
}

/** The workflow bundle a production image carries (Dockerfile), built into the bench's folder. */
async function prebuiltWorkflowBundle(tmpDir: string, log: (m: string) => void): Promise<string> {
  const bundlePath = path.join(tmpDir, 'workflow-bundle.js');
  const { sources } = await buildWorkflowBundle(bundlePath);
  log(`workflow bundle built from ${sources} source files: workers load it instead of bundling at start`);
  return bundlePath;
}

interface BenchTemporal {
  address: string;
  uiUrl: string;
  pid: number | undefined;
  version: string;
}

/** The dev server as `npm start` runs it (a SQLite file), unless told otherwise for diagnosis. */
async function startDevServer(
  opts: { temporalDb: 'file' | 'memory'; devVisibilityIndexes: VisibilityIndexes; devServerArgs: string[] },
  tmpDir: string,
  stops: (() => Promise<void>)[],
  log: (m: string) => void,
): Promise<BenchTemporal> {
  const inFile = opts.temporalDb === 'file';
  log(`starting the Temporal dev server (${inFile ? 'SQLite file in a temp folder, as npm start does' : 'in memory: diagnostic only'}) ...`);
  const cliPath = await findTemporalCli({ build: true, log });
  const serverPath = opts.devServerArgs.length > 0 ? await withArgs(cliPath, opts.devServerArgs, tmpDir) : cliPath;
  // Its log lines are echoed while it starts; at shutdown it complains about every closed connection.
  let serverLog: ((m: string) => void) | undefined = log;
  const devServer = await startTemporalDevServer({
    cliPath: serverPath,
    ...(inFile && { dbFile: path.join(tmpDir, 'temporal.db') }),
    visibilityIndexes: opts.devVisibilityIndexes,
    log: (m) => serverLog?.(`[temporal] ${m}`),
  });
  serverLog = undefined;
  stops.push(devServer.stop);
  const pid = childrenOf(process.pid).find((p) => commandLine(p).includes(`--port ${devServer.address.split(':')[1]} `));
  return { address: devServer.address, uiUrl: devServer.uiUrl, pid, version: cliVersion(cliPath) };
}

/** Temporal's own server on the machine's PostgreSQL, as `npm run cluster` runs it, on databases of its own. */
async function startClusterTemporal(stops: (() => Promise<void>)[], log: (m: string) => void): Promise<BenchTemporal> {
  log(`starting the Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL ...`);
  const suffix = randomBytes(4).toString('hex');
  const databases = { postgresUrl: CLUSTER_POSTGRES_URL, database: `herald_bench_${suffix}_temporal`, visibilityDatabase: `herald_bench_${suffix}_visibility` };
  stops.push(() => dropTemporalDatabases(databases));
  const server = await startTemporalServer({ binaries: await findTemporalServerBinaries({ log }), ...databases, ui: false, log });
  stops.push(() => server.stop());
  return { address: server.address, uiUrl: 'http://127.0.0.1:8233', pid: server.serverPid, version: `server ${TEMPORAL_SERVER_VERSION} on PostgreSQL` };
}

/**
 * Diagnostic: the dev server exactly as `npm start` runs it, plus extra flags, through a wrapper
 * script that execs the CLI (so the pid sampled is still the server's).
 */
async function withArgs(cliPath: string, args: string[], dir: string): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const wrapper = path.join(dir, 'temporal-with-flags.sh');
  const flags = args.map(quote).join(' ');
  await writeFile(wrapper, `#!/bin/sh\nexec ${quote(cliPath)} "$@" ${flags}\n`, { mode: 0o755 });
  return wrapper;
}

async function waitReady(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited: string | undefined;
  void child.exited.then((reason) => (exited = reason));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${child.name} exited (${exited}):\n${child.outputTail()}`);
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${child.name} not ready at ${url} after ${READY_TIMEOUT_MS / 1000}s:\n${child.outputTail()}`);
}
