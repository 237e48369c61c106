// Runs `temporal server start-dev` (Temporal server + Web UI in one process) for `npm start` and
// the integration tests when TEMPORAL_ADDRESS is unset (README, "Quick start").
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { ensureSearchAttributes } from '../temporal/search-attribute-registration';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';
import { dropUnusedVisibilityIndexes, unusedKeywordIndexes, type VisibilityIndexes } from './dev-server-visibility-indexes';
import { freePort } from './free-port';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

// Type names as the CLI's --search-attribute flag spells them.
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  /** Free ports are picked when absent. */
  port?: number | undefined;
  uiPort?: number | undefined;
  namespace?: string;
  /**
   * 'trimmed' (default): a db file created here keeps only the visibility indexes lists use
   * (dev/dev-server-visibility-indexes.ts). 'all': Temporal's schema as the CLI creates it, for
   * comparison in the bench.
   */
  visibilityIndexes?: VisibilityIndexes;
  log?: (m: string) => void;
}

/** Ports picked here may be taken by someone else before the server binds them: try again. */
const PORT_RACE_ATTEMPTS = 3;

export async function startTemporalDevServer(opts: DevServerOptions): Promise<TemporalDevServer> {
  const trimmed = (opts.visibilityIndexes ?? 'trimmed') === 'trimmed';
  // With 'all', the CLI creates a missing file itself, with the same schema.
  if (opts.dbFile && trimmed && !existsSync(opts.dbFile)) await createDevServerDatabase({ ...opts, dbFile: opts.dbFile });
  return startRetryingPortRaces({ ...opts, journal: 'wal' });
}

/**
 * Creates a dev server database file. The CLI sets its schema up only in a file that does not
 * exist yet, and uses an existing one as it is; so a first run on free ports creates the file,
 * says which keyword columns its namespaces' search attributes were given, and stops, and then the
 * visibility indexes no list uses are dropped from it (unless `visibilityIndexes` is 'all'). That
 * first run keeps SQLite's rollback journal: the CLI exits without checkpointing a WAL, which would
 * leave the new schema outside the file. Should the indexes not be dropped, the server runs with
 * all of them (or all keyword indexes, should the columns not be known): slower, no less correct.
 */
export async function createDevServerDatabase(opts: DevServerOptions & { dbFile: string }): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const creator = await startRetryingPortRaces({ ...opts, port: undefined, uiPort: undefined, journal: 'rollback' });
  if (opts.visibilityIndexes === 'all') return creator.stop();
  let unusedKeywords: string[] = [];
  try {
    unusedKeywords = unusedKeywordIndexes(await keywordColumnsInUse(creator.address, creator.namespace));
  } catch (err) {
    log(`kept the keyword columns' visibility indexes in ${opts.dbFile}: ${(err as Error).message}`);
  } finally {
    await creator.stop();
  }
  try {
    const dropped = await dropUnusedVisibilityIndexes(opts.dbFile, unusedKeywords);
    log(`created ${opts.dbFile} without the ${dropped.length} visibility indexes no list uses`);
  } catch (err) {
    log(`kept all visibility indexes in ${opts.dbFile}: ${(err as Error).message}`);
  }
}

/**
 * The visibility columns (Keyword03, Int01, ...) that hold a search attribute in any namespace of
 * the server at `address`. Throws unless Herald's namespace shows a column for each of Herald's
 * attributes: a CLI that kept the assignment elsewhere must not cost Herald's lists their indexes.
 */
async function keywordColumnsInUse(address: string, heraldNamespace: string): Promise<Set<string>> {
  const connection = await Connection.connect({ address });
  try {
    const columns = new Set<string>();
    const heraldAttributesSeen = new Set<string>();
    let nextPageToken: Uint8Array | null = null;
    do {
      const page: temporal.api.workflowservice.v1.ListNamespacesResponse = await connection.workflowService.listNamespaces({ pageSize: 100, nextPageToken });
      for (const namespace of page.namespaces) {
        for (const [column, attribute] of Object.entries(namespace.config?.customSearchAttributeAliases ?? {})) {
          columns.add(column);
          if (namespace.namespaceInfo?.name === heraldNamespace) heraldAttributesSeen.add(attribute);
        }
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : null;
    } while (nextPageToken);
    const unseen = SEARCH_ATTRIBUTE_KEYS.filter((key) => !heraldAttributesSeen.has(key.name));
    if (unseen.length > 0) throw new Error(`namespace ${heraldNamespace} shows no column for ${unseen.map((key) => key.name).join(', ')}`);
    return columns;
  } finally {
    await connection.close();
  }
}

/** How the SQLite file (if any) keeps its journal: WAL for speed, or a rollback journal. */
type RunOptions = DevServerOptions & { journal: 'wal' | 'rollback' };

async function startRetryingPortRaces(opts: RunOptions): Promise<TemporalDevServer> {
  const portsPicked = opts.port === undefined || opts.uiPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      const raced = /address already in use/.test((err as Error).message);
      if (!portsPicked || !raced || attempt >= PORT_RACE_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(opts: RunOptions): Promise<TemporalDevServer> {
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  let uiPort = opts.uiPort ?? (await freePort());
  while (uiPort === port) uiPort = await freePort();

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--log-level', 'warn');
  // "default" always exists; asking the CLI to create it again would be redundant.
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (opts.dbFile) {
    await mkdir(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
    // WAL without a sync per commit: about 4x the throughput (npm run bench). A crash of any
    // process loses nothing; only an OS crash or power cut could lose the last commits, which is
    // acceptable for a development server (production runs Temporal on PostgreSQL).
    args.push('--db-filename', path.resolve(opts.dbFile));
    if (opts.journal === 'wal') args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  // The server hands an activity scheduled by a workflow task straight back to the worker that
  // completed it, saving a poll round trip per attempt.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  // A client that shares its process with a worker (npm start) hands a new delivery's first
  // workflow task straight to that worker instead of through a poll.
  args.push('--dynamic-config-value', 'system.enableEagerWorkflowStart=true');
  // The CLI turns this on so that attributes added later show at once, at the price of a read of
  // the cluster metadata, one at a time under a lock, each time the server looks search attributes
  // up: several times per delivery, since deliveries carry search attributes from their start. On
  // the dev server's SQLite, adding one changes the namespace, not that metadata, so the refresh
  // shows nothing new. Off: about 18 % more deliveries/s in the bench (README "Performance").
  args.push('--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false');
  // How often a history shard may read its queue of tasks to hand on to matching: a new workflow's
  // first task (unless started eagerly), a retry's once its timer fired. The dev server has one
  // shard, and at Temporal's default of 20 reads/s such a task waited about 25 ms before a worker
  // could take it (README "Performance"). Reads happen only when tasks are waiting, but each one
  // costs the shard bookkeeping that grows with the tasks handed on lately: while a large backlog's
  // timers fire, that bookkeeping is the server's largest cost (README "Performance", backlogs).
  args.push('--dynamic-config-value', 'history.transferProcessorMaxPollRPS=200');
  for (const key of SEARCH_ATTRIBUTE_KEYS) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

  // Go collects garbage each time its heap doubles (GOGC=100); at 200 the server took about 6 % less
  // CPU per delivery for about 70 MB more memory (README "Performance"). A GOGC already set wins.
  const env = { ...process.env, GOGC: process.env.GOGC ?? '200' };
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.on('error', (err) => resolve(err.message));
  });
  // Pipes must be drained or the server blocks once they fill; the tail explains failures.
  let outputTail = '';
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    outputTail = (outputTail + text).slice(-8000);
    for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  // The server must not outlive this process ('exit' handlers can only do synchronous work).
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // Unref'd: once the server has exited, a pending grace timer must not hold this process open.
    const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS, false, { ref: false })]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const address = `127.0.0.1:${port}`;
  try {
    const connection = await waitForFrontend(address, exited);
    try {
      // Flags cover a fresh server; this covers a db file created by an older Herald.
      const added = await ensureSearchAttributes(connection, namespace);
      if (added.length > 0) log(`registered search attributes ${added.join(', ')} in namespace ${namespace}`);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    throw new Error(`Temporal dev server (${opts.cliPath} ${args.join(' ')}) did not start: ${(err as Error).message}\n${outputTail}`, {
      cause: err,
    });
  }

  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, namespace, stop };
}

/** Retries connecting until the frontend answers, the server exits, or READY_TIMEOUT_MS passes. */
async function waitForFrontend(address: string, exited: Promise<string>): Promise<Connection> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  for (;;) {
    if (exitReason !== undefined) throw new Error(`server exited (${exitReason})`);
    try {
      return await Connection.connect({ address, connectTimeout: '1s' });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no answer on ${address} after ${READY_TIMEOUT_MS / 1000}s`, { cause: err });
    }
    await sleep(200);
  }
}
