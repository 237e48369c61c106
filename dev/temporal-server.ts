// Runs the real Temporal server (all four services in one process) on PostgreSQL, from the
// configuration kept in deploy/temporal/, plus the Temporal Web UI server when it is built. Used by
// `npm run cluster` and by tests that kill and restart Temporal on the same databases.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../temporal/search-attribute-registration';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';
import { freePortBelow32768 } from './free-port-below';
import { startProcess, type ManagedProcess } from './managed-process';
import { forgetPreviousMembers } from './temporal-membership';
import type { TemporalServerBinaries } from './temporal-server-build';
import { resolveTemporalDatabases, setupTemporalSchemas, type TemporalDatabaseOptions, type TemporalDatabases } from './temporal-server-schema';

/** server.yaml, ui.yaml and dynamicconfig.yaml: templates the two servers render themselves. */
const CONFIG_DIR = path.resolve(__dirname, '..', 'deploy', 'temporal');
const READY_TIMEOUT_MS = 90_000;
/** Lets history hand its shards back cleanly; beyond it the server is killed. */
const STOP_GRACE_MS = 20_000;
const DEFAULT_RETENTION_DAYS = 3;
// gRPC status codes.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
/** Ports picked here may be taken by someone else before the server binds them: try again. */
const PORT_RACE_ATTEMPTS = 3;

export interface TemporalServerPorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
  /** The Web UI's HTTP port. */
  ui: number;
}

const PORT_COUNT = 9;

export interface TemporalServerOptions extends TemporalDatabaseOptions {
  binaries: TemporalServerBinaries;
  /** Create or upgrade both schemas before starting (default true; idempotent). */
  setupSchema?: boolean;
  /** Registered when absent (default "default"). */
  namespace?: string;
  /** Retention of closed workflows in a namespace this call registers (default 3 days). */
  retentionDays?: number;
  /** Only takes effect on a database's first start: the server keeps the count stored there. */
  numHistoryShards?: number;
  /** Interface every service binds to (default 127.0.0.1). */
  host?: string;
  /** Ports not given are picked free; a restart keeps the same ones. */
  ports?: Partial<TemporalServerPorts>;
  /** Start the Web UI server when its binary is available (default true). */
  ui?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** When set, the servers' output is appended to temporal-server.log and temporal-ui.log here. */
  logDir?: string;
  log?: (msg: string) => void;
}

export interface TemporalServer {
  /** host:port of the frontend, for TEMPORAL_ADDRESS. */
  address: string;
  /** The Web UI, or undefined when it is not running. */
  uiUrl: string | undefined;
  namespace: string;
  ports: TemporalServerPorts;
  databases: TemporalDatabases;
  /** Current pids: the server, then the UI server if any. Change after restart(). */
  readonly pids: number[];
  readonly serverPid: number;
  /** Ends the server process only (default SIGKILL, as a crash); the UI stays up. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts the server again on the same ports and databases and waits until it serves; stops it
   * first if it still runs (SIGTERM with a grace, or at once with `{ signal: 'SIGKILL' }`).
   */
  restart(opts?: { signal?: NodeJS.Signals }): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace: the UI first, then the server. */
  stop(): Promise<void>;
}

export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServer> {
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  const host = opts.host ?? '127.0.0.1';
  const databases = resolveTemporalDatabases(opts);
  if (opts.setupSchema !== false) await setupTemporalSchemas({ ...opts, sqlTool: opts.binaries.sqlTool, log });
  const persistenceUrl = new URL(opts.postgresUrl);
  persistenceUrl.pathname = `/${databases.database}`;
  if (opts.logDir) await mkdir(opts.logDir, { recursive: true });
  const serverLog = opts.logDir ? createWriteStream(path.join(opts.logDir, 'temporal-server.log'), { flags: 'a' }) : undefined;

  const portsPicked = Object.keys(opts.ports ?? {}).length < PORT_COUNT;
  let ports!: TemporalServerPorts;
  let server!: ManagedProcess;
  for (let attempt = 1; ; attempt++) {
    ports = await pickPorts(host, opts.ports ?? {});
    await forgetPreviousMembers(persistenceUrl.toString(), databases.database);
    server = spawnServer(opts, databases, host, ports, serverLog);
    try {
      await waitUntilServing(server, host, ports, namespace, opts.retentionDays ?? DEFAULT_RETENTION_DAYS, log);
      break;
    } catch (err) {
      await server.stop(STOP_GRACE_MS);
      const raced = /address already in use/.test(server.outputTail());
      if (!portsPicked || !raced || attempt >= PORT_RACE_ATTEMPTS) {
        serverLog?.end();
        throw new Error(`Temporal server did not start: ${(err as Error).message}\n${server.outputTail()}`, { cause: err });
      }
    }
  }
  const address = `${host}:${ports.frontend}`;
  log(`Temporal server ${address} serving namespace ${namespace} (databases ${databases.database}, ${databases.visibilityDatabase})`);

  let ui: ManagedProcess | undefined;
  let uiLog: WriteStream | undefined;
  if (opts.ui !== false && opts.binaries.uiServer) {
    uiLog = opts.logDir ? createWriteStream(path.join(opts.logDir, 'temporal-ui.log'), { flags: 'a' }) : undefined;
    ui = spawnUi(opts.binaries.uiServer, host, ports.ui, address, namespace, uiLog);
    try {
      await waitForHttp(`http://${host}:${ports.ui}/healthz`, ui);
    } catch (err) {
      // The UI is a convenience: Herald runs without it.
      await ui.stop(STOP_GRACE_MS);
      log(`Temporal Web UI did not start, running without it: ${(err as Error).message}\n${ui.outputTail()}`);
      ui = undefined;
    }
  }

  const handle: TemporalServer = {
    address,
    uiUrl: ui ? `http://${host}:${ports.ui}` : undefined,
    namespace,
    ports,
    databases,
    get pids() {
      return ui ? [server.pid, ui.pid] : [server.pid];
    },
    get serverPid() {
      return server.pid;
    },
    async kill(signal = 'SIGKILL') {
      await server.kill(signal);
    },
    async restart(restartOpts = {}) {
      if (restartOpts.signal) await server.kill(restartOpts.signal);
      await server.stop(STOP_GRACE_MS);
      await forgetPreviousMembers(persistenceUrl.toString(), databases.database);
      server = spawnServer(opts, databases, host, ports, serverLog);
      try {
        await waitUntilServing(server, host, ports, namespace, opts.retentionDays ?? DEFAULT_RETENTION_DAYS, log);
      } catch (err) {
        await server.stop(STOP_GRACE_MS);
        throw new Error(`Temporal server did not restart: ${(err as Error).message}\n${server.outputTail()}`, { cause: err });
      }
      log(`Temporal server ${address} restarted (pid ${server.pid})`);
    },
    async stop() {
      if (ui) await ui.stop(STOP_GRACE_MS);
      await server.stop(STOP_GRACE_MS);
      serverLog?.end();
      uiLog?.end();
    },
  };
  return handle;
}

/** Free ports below 32768 (see free-port-below.ts) for every port not given, all distinct. */
async function pickPorts(host: string, given: Partial<TemporalServerPorts>): Promise<TemporalServerPorts> {
  const taken = new Set(Object.values(given));
  const pick = async (value: number | undefined) => {
    if (value !== undefined) return value;
    const port = await freePortBelow32768(host, taken);
    taken.add(port);
    return port;
  };
  return {
    frontend: await pick(given.frontend),
    history: await pick(given.history),
    matching: await pick(given.matching),
    worker: await pick(given.worker),
    frontendMembership: await pick(given.frontendMembership),
    historyMembership: await pick(given.historyMembership),
    matchingMembership: await pick(given.matchingMembership),
    workerMembership: await pick(given.workerMembership),
    ui: await pick(given.ui),
  };
}

function spawnServer(
  opts: TemporalServerOptions,
  databases: TemporalDatabases,
  host: string,
  ports: TemporalServerPorts,
  logFile: WriteStream | undefined,
): ManagedProcess {
  // server.yaml reads these (and nothing else): start from a clean set so a variable left in the
  // caller's environment cannot change what runs.
  const env = withoutPrefix(process.env, 'HERALD_TEMPORAL_');
  Object.assign(env, {
    HERALD_TEMPORAL_LOG_LEVEL: opts.logLevel ?? 'warn',
    HERALD_TEMPORAL_NUM_HISTORY_SHARDS: String(opts.numHistoryShards ?? 4),
    HERALD_TEMPORAL_DB_HOST: databases.host,
    HERALD_TEMPORAL_DB_PORT: String(databases.port),
    HERALD_TEMPORAL_DB_USER: databases.user,
    HERALD_TEMPORAL_DB_PASSWORD: databases.password,
    HERALD_TEMPORAL_DB_NAME: databases.database,
    HERALD_TEMPORAL_VISIBILITY_DB_NAME: databases.visibilityDatabase,
    HERALD_TEMPORAL_BIND_IP: host,
    HERALD_TEMPORAL_FRONTEND_PORT: String(ports.frontend),
    HERALD_TEMPORAL_HISTORY_PORT: String(ports.history),
    HERALD_TEMPORAL_MATCHING_PORT: String(ports.matching),
    HERALD_TEMPORAL_WORKER_PORT: String(ports.worker),
    HERALD_TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HERALD_TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    HERALD_TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    HERALD_TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    HERALD_TEMPORAL_DYNAMIC_CONFIG: path.join(CONFIG_DIR, 'dynamicconfig.yaml'),
  });
  // --allow-no-auth: no authorizer, on purpose (loopback, development and tests); without the flag
  // the server warns that a future version will refuse to start.
  const args = ['--root', CONFIG_DIR, '--config', '.', '--env', 'server', '--allow-no-auth', 'start'];
  return startProcess({ name: 'temporal-server', command: opts.binaries.server, args, env, onLine: appendTo(logFile) });
}

function spawnUi(
  uiServer: string,
  host: string,
  port: number,
  address: string,
  namespace: string,
  logFile: WriteStream | undefined,
): ManagedProcess {
  const env = withoutPrefix(process.env, 'HERALD_TEMPORAL_UI_');
  Object.assign(env, {
    HERALD_TEMPORAL_UI_TEMPORAL_ADDRESS: address,
    HERALD_TEMPORAL_UI_HOST: host,
    HERALD_TEMPORAL_UI_PORT: String(port),
    HERALD_TEMPORAL_UI_NAMESPACE: namespace,
  });
  const args = ['--root', CONFIG_DIR, '--config', '.', '--env', 'ui', 'start'];
  return startProcess({ name: 'temporal-ui-server', command: uiServer, args, env, onLine: appendTo(logFile) });
}

/** Output can still arrive after 'exit' (pipes drain later): never write after end(). */
function appendTo(stream: WriteStream | undefined): (line: string) => void {
  return (line) => {
    if (stream && !stream.writableEnded) stream.write(`${line}\n`);
  };
}

function withoutPrefix(env: NodeJS.ProcessEnv, prefix: string): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith(prefix)));
}

/**
 * Waits until the frontend answers, then makes sure the namespace exists with Herald's search
 * attributes and that the frontend already accepts queries on them: a namespace or attribute just
 * added reaches the server's namespace cache only at its next refresh (every 2 s).
 */
async function waitUntilServing(
  server: ManagedProcess,
  host: string,
  ports: TemporalServerPorts,
  namespace: string,
  retentionDays: number,
  log: (msg: string) => void,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const connection = await connectWhenUp(`${host}:${ports.frontend}`, server, deadline);
  try {
    await untilOk(server, deadline, 'namespace registration', async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
          description: 'Herald deliveries',
        });
        log(`registered namespace ${namespace} (retention ${retentionDays} days)`);
      } catch (err) {
        if ((err as { code?: unknown }).code !== ALREADY_EXISTS) throw err;
      }
      await connection.workflowService.describeNamespace({ namespace });
    });
    await untilOk(server, deadline, 'search attributes', async () => {
      const added = await ensureSearchAttributes(connection, namespace);
      if (added.length > 0) log(`registered search attributes ${added.join(', ')} in namespace ${namespace}`);
      const query = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name} = 'readiness-probe'`).join(' AND ');
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query });
    });
    // The frontend answers the calls above on its own (persistence, visibility) while history and
    // matching may not be in its membership ring yet ("Not enough hosts to serve the request",
    // seen when a restart finds the previous run's members in cluster_membership): ask both.
    await untilOk(server, deadline, 'history and matching', async () => {
      try {
        await connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: 'herald-readiness-probe' } });
      } catch (err) {
        if ((err as { code?: unknown }).code !== NOT_FOUND) throw err;
      }
      await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: 'herald-readiness-probe', kind: 1 }, // TASK_QUEUE_KIND_NORMAL
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
    });
  } finally {
    await connection.close();
  }
}

async function connectWhenUp(address: string, server: ManagedProcess, deadline: number): Promise<Connection> {
  for (;;) {
    if (!server.isRunning()) throw new Error(`server exited (${await server.exited})`);
    try {
      return await Connection.connect({ address, connectTimeout: '1s' });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no answer on ${address} after ${READY_TIMEOUT_MS / 1000} s`, { cause: err });
    }
    await sleep(250);
  }
}

/** Retries `step` until it succeeds, the server exits, or the deadline passes (then its last error). */
async function untilOk(server: ManagedProcess, deadline: number, what: string, step: () => Promise<void>): Promise<void> {
  for (;;) {
    if (!server.isRunning()) throw new Error(`server exited (${await server.exited}) during ${what}`);
    try {
      return await step();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} failed: ${(err as Error).message}`, { cause: err });
    }
    await sleep(250);
  }
}

async function waitForHttp(url: string, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!proc.isRunning()) throw new Error(`${proc.name} exited (${await proc.exited})`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((res) => res.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no answer from ${url} after ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
}
