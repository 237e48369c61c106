// Child processes of the benchmark: Herald's API and worker, the baseline worker, the receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(__dirname, '..');
/** Lines of a child's output echoed to the console; the rest is only kept for error reports. */
const ECHO_LINES = 20;

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Resolves with the exit reason; the benchmark treats an early exit as a failure. */
  exited: Promise<string>;
  outputTail(): string;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();
// The last resort when the benchmark itself dies: 'exit' handlers can only do synchronous work.
process.on('exit', () => {
  for (const child of running) child.process.kill('SIGKILL');
});

/** Runs `node --import tsx <script>` from the repository root with the given environment. */
export function spawnNode(opts: {
  name: string;
  script: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  ipc?: boolean;
  log: (line: string) => void;
}): Child {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${opts.name}`);
  let tail = '';
  let echoed = 0;
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      if (echoed < ECHO_LINES) opts.log(`[${opts.name}] ${line.slice(0, 300)}`);
      else if (echoed === ECHO_LINES) opts.log(`[${opts.name}] (further output not shown)`);
      echoed++;
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.on('error', (err) => resolve(err.message));
  });
  const handle: Child = {
    name: opts.name,
    pid: child.pid,
    process: child,
    exited,
    outputTail: () => tail,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const graceful = await Promise.race([exited.then(() => true), sleep(graceMs, false)]);
        if (!graceful) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/**
 * V8 CPU profile flags for a child: one file per thread (the worker's workflow sandbox runs in a
 * thread of its own) in <dir>/<name>/, written when the child exits.
 */
export function profileArgs(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir, name)] : [];
}
