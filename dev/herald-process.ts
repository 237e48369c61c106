// One Herald API or worker as its own OS process (`node --import tsx api/server.ts` or
// `worker/main.ts`, as in production), with a handle to kill it, stop it gracefully and start it
// again: what `npm run cluster` runs N and M of, and what kill tests aim at.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProcess, type ManagedProcess } from './managed-process';

const ROOT = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 90_000;

export interface HeraldProcess {
  name: string;
  kind: 'api' | 'worker';
  /** The API's base URL; undefined for a worker. */
  url: string | undefined;
  /** The current process; changes on restart(). */
  readonly pid: number;
  /** Resolves when the current process exits, with the reason ("code 0", "SIGKILL"). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  outputTail(): string;
  /** Sends `signal` (default SIGKILL, as a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<string>;
  /** SIGTERM, then SIGKILL after the grace (a worker's covers its 30 s shutdown grace). */
  stop(): Promise<string>;
  /** Stops it if running, starts it again with the same environment (an API on the same port), waits until ready. */
  restart(): Promise<void>;
}

export interface HeraldProcessSpec {
  name: string;
  kind: 'api' | 'worker';
  env: NodeJS.ProcessEnv;
  /** For an API: the base URL it serves on (its PORT is in env). */
  url?: string;
  /** Resolves once the process serves (API) or polls (worker); rejects when it cannot. */
  ready: (proc: ManagedProcess) => Promise<void>;
  /** SIGTERM grace before SIGKILL. */
  graceMs: number;
  /** Output lines are appended here (kept across restarts). */
  logFile?: string;
  onLine?: (line: string) => void;
  /** Called after every (re)start, e.g. to rewrite cluster.json with the new pid. */
  onStarted?: () => void;
}

export async function startHeraldProcess(spec: HeraldProcessSpec): Promise<HeraldProcess> {
  const script = spec.kind === 'api' ? 'api/server.ts' : 'worker/main.ts';
  const spawnIt = () => {
    // One append stream per process, ended when that process exits: restarts continue the file.
    const logStream = spec.logFile ? createWriteStream(spec.logFile, { flags: 'a' }) : undefined;
    const proc = startProcess({
      name: spec.name,
      command: process.execPath,
      args: ['--import', 'tsx', script],
      cwd: ROOT,
      env: spec.env,
      onLine: (line) => {
        // Output can still arrive after 'exit' (pipes drain later): never write after end().
        if (logStream && !logStream.writableEnded) logStream.write(`${line}\n`);
        spec.onLine?.(line);
      },
    });
    void proc.exited.then(() => logStream?.end());
    return proc;
  };
  const startAndWait = async () => {
    const proc = spawnIt();
    try {
      await spec.ready(proc);
    } catch (err) {
      await proc.stop(spec.graceMs);
      throw new Error(`${spec.name} did not start: ${(err as Error).message}\n${proc.outputTail()}`, { cause: err });
    }
    return proc;
  };

  let current = await startAndWait();
  spec.onStarted?.();
  return {
    name: spec.name,
    kind: spec.kind,
    url: spec.url,
    get pid() {
      return current.pid;
    },
    get exited() {
      return current.exited;
    },
    isRunning: () => current.isRunning(),
    outputTail: () => current.outputTail(),
    kill: (signal) => current.kill(signal),
    stop: () => current.stop(spec.graceMs),
    async restart() {
      await current.stop(spec.graceMs);
      current = await startAndWait();
      spec.onStarted?.();
    },
  };
}

/** An API is ready once /readyz answers 200: PostgreSQL and Temporal both reachable from it. */
export function apiReady(url: string): (proc: ManagedProcess) => Promise<void> {
  return async (proc) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!proc.isRunning()) throw new Error(`exited (${await proc.exited})`);
      const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((res) => res.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  };
}

/**
 * A worker is ready once Temporal lists it among the task queue's pollers. `isPolling` is asked
 * with the process id (the SDK's default identity is `<pid>@<hostname>`).
 */
export function workerReady(isPolling: (pid: number) => Promise<boolean>): (proc: ManagedProcess) => Promise<void> {
  return async (proc) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!proc.isRunning()) throw new Error(`exited (${await proc.exited})`);
      if (await isPolling(proc.pid).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`not polling its task queue after ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  };
}
