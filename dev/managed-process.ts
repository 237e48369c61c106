// A child process that `npm run cluster` and the tests start and must be able to stop, kill and
// wait for: the Temporal server, its Web UI, Herald's API and worker processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit reason ("code 0", "SIGKILL", or a spawn error). */
  exited: Promise<string>;
  isRunning(): boolean;
  /** The last output lines, to explain a failure. */
  outputTail(): string;
  /** Sends `signal` (default SIGKILL, as a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<string>;
  /** SIGTERM, then SIGKILL when still running after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<string>;
}

const running = new Set<ManagedProcess>();
// The last resort when the parent dies without stopping its children ('exit' handlers can only do
// synchronous work). A SIGKILL of the parent still leaves them behind: Node has no PDEATHSIG.
process.on('exit', () => {
  for (const proc of running) proc.child.kill('SIGKILL');
});

export function startProcess(opts: {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Called with each output line. */
  onLine?: (line: string) => void;
}): ManagedProcess {
  const child = spawn(opts.command, opts.args, {
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C in the terminal reaches only the launcher, which then
    // stops the children in order (API first, workers with their grace time, Temporal last)
    // instead of every process getting SIGINT at once.
    detached: true,
  });
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.on('error', (err) => resolve(err.message));
  });
  // Pipes must be drained or the child blocks once they fill.
  let tail = '';
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    if (opts.onLine) for (const line of text.split('\n')) if (line.trim()) opts.onLine(line.trimEnd());
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  const isRunning = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const proc: ManagedProcess = {
    name: opts.name,
    pid: child.pid ?? -1,
    child,
    exited,
    isRunning,
    outputTail: () => tail,
    async kill(signal = 'SIGKILL') {
      if (isRunning()) child.kill(signal);
      return exited;
    },
    async stop(graceMs) {
      if (!isRunning()) return exited;
      child.kill('SIGTERM');
      // Unref'd: once the child has exited, a pending grace timer must not hold the parent open.
      const graceful = await Promise.race([exited.then(() => true), sleep(graceMs, false, { ref: false })]);
      if (!graceful) child.kill('SIGKILL');
      return exited;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}
