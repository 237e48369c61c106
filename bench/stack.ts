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
import { freePort } from '../dev/free-port';
import { findTemporalCli } from '../dev/temporal-cli';
import { startTemporalDevServer } from '../dev/temporal-dev-server';
import { generateMasterKey } from '../domain/encryption';
import { profileArgs, spawnNode, type Child } from './children';
import { createBenchDatabase, type BenchDatabase } from './database';
import { childrenOf, commandLine } from './proc-stats';

export const HERALD_TASK_QUEUE = 'herald-bench';
const READY_TIMEOUT_MS = 90_000;

export interface Stack {
  tmpDir: string;
  temporal: { address: string; pid: number | undefined; cliPath: string };
  client: Client;
  database: BenchDatabase;
  api: Child;
  apiUrl: string;
  worker: Child;
  adminKey: string;
}

/** Starts everything; each started piece pushes its own stop onto `stops` (run in reverse). */
export async function startStack(opts: {
  profileDir: string | undefined;
  temporalDb: 'file' | 'memory';
  devServerArgs: string[];
  stops: (() => Promise<void>)[];
  log: (m: string) => void;
}): Promise<Stack> {
  const { stops, log } = opts;
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'herald-bench-'));
  stops.push(() => rm(tmpDir, { recursive: true, force: true }));

  const inFile = opts.temporalDb === 'file';
  log(`starting the Temporal dev server (${inFile ? 'SQLite file in a temp folder, as npm start does' : 'in memory: diagnostic only'}) ...`);
  const cliPath = await findTemporalCli({ build: true, log });
  const serverPath = opts.devServerArgs.length > 0 ? await withArgs(cliPath, opts.devServerArgs, tmpDir) : cliPath;
  // Its log lines are echoed while it starts; at shutdown it complains about every closed connection.
  let serverLog: ((m: string) => void) | undefined = log;
  const devServer = await startTemporalDevServer({
    cliPath: serverPath,
    ...(inFile && { dbFile: path.join(tmpDir, 'temporal.db') }),
    log: (m) => serverLog?.(`[temporal] ${m}`),
  });
  serverLog = undefined;
  stops.push(devServer.stop);
  const temporalPid = childrenOf(process.pid).find((pid) => commandLine(pid).includes(`--port ${devServer.address.split(':')[1]} `));
  const connection = await Connection.connect({ address: devServer.address });
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
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_TASK_QUEUE: HERALD_TASK_QUEUE,
    TEMPORAL_UI_URL: devServer.uiUrl,
    HERALD_ADMIN_KEY: adminKey,
    HERALD_ENCRYPTION_KEY: generateMasterKey(),
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    HERALD_LOG_LEVEL: 'warn',
    PORT: String(port),
  };
  log('starting the Herald API and worker as child processes ...');
  const api = spawnNode({ name: 'api', script: 'api/server.ts', env, nodeArgs: profileArgs(opts.profileDir, 'api'), log });
  stops.push(() => api.stop());
  // The worker waits up to its 30 s shutdown grace for in-flight attempts.
  const worker = spawnNode({ name: 'worker', script: 'worker/main.ts', env, nodeArgs: profileArgs(opts.profileDir, 'worker'), log });
  stops.push(() => worker.stop(40_000));
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitReady(`${apiUrl}/readyz`, api);
  return { tmpDir, temporal: { address: devServer.address, pid: temporalPid, cliPath }, client, database, api, apiUrl, worker, adminKey };
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
