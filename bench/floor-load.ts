// The design floor, run from its own process (bench/floor/runner.ts): how fast the server and one
// Node process deliver with Herald's shape and nothing else (a local activity, eager start).
import { randomBytes } from 'node:crypto';
import { spawnNode } from './children';
import { nowMs } from './load';
import { progress } from './progress';
import { readProcess } from './proc-stats';
import type { Receiver } from './receiver-client';
import type { ProcessUsage, Sampler } from './sampler';
import { perSecond } from './stats';
import { waitUntil } from './wait';

export interface FloorResult {
  workflows: number;
  completed: number;
  start_errors: number;
  first_error?: string;
  timed_out: boolean;
  seconds: number;
  workflows_per_s: number;
}

export async function runFloorLoad(opts: {
  temporalAddress: string;
  receiver: Receiver;
  sampler: Sampler;
  count: number;
  concurrency: number;
  deadline: number;
  log: (m: string) => void;
}): Promise<{ result: FloorResult; usage: Record<string, ProcessUsage> }> {
  const runId = `fl_${randomBytes(3).toString('hex')}`;
  const runner = spawnNode({
    name: 'floor',
    script: 'bench/floor/runner.ts',
    env: {
      TEMPORAL_ADDRESS: opts.temporalAddress,
      FLOOR_TASK_QUEUE: `bench-floor-${runId}`,
      FLOOR_URL: `${opts.receiver.url}/floor`,
      FLOOR_RUN_ID: runId,
      FLOOR_COUNT: String(opts.count),
      FLOOR_CONCURRENCY: String(opts.concurrency),
    },
    ipc: true,
    log: opts.log,
  });
  try {
    opts.sampler.add('floor', () => readProcess(runner.pid));
    await new Promise<void>((resolve, reject) => {
      runner.process.once('message', () => resolve());
      void runner.exited.then((why) => reject(new Error(`floor runner exited (${why}):\n${runner.outputTail()}`)));
    });
    const ids = Array.from({ length: opts.count }, (_, i) => `${runId}_${i}`);
    const done = () => ids.filter((id) => opts.receiver.okAt.has(id)).length;
    const end = opts.sampler.window();
    const started = nowMs();
    const starts = new Promise<{ started: number; errors: number; firstError?: string }>((resolve) => runner.process.once('message', (m) => resolve(m as never)));
    runner.process.send({ go: true });
    const stopProgress = progress(() => `floor: completed ${done()}/${opts.count}`);
    const finished = await waitUntil(() => done() >= opts.count, opts.deadline, 100).finally(stopProgress);
    const usage = end();
    const load = await Promise.race([starts, new Promise<{ started: number; errors: number }>((resolve) => setTimeout(() => resolve({ started: 0, errors: 0 }), 5_000).unref())]);
    const last = Math.max(...ids.map((id) => opts.receiver.okAt.get(id) ?? 0));
    const completed = done();
    const result: FloorResult = {
      workflows: opts.count,
      completed,
      start_errors: load.errors,
      timed_out: !finished,
      seconds: Math.round(last - started) / 1000,
      workflows_per_s: perSecond(completed, last - started),
    };
    if ('firstError' in load && load.firstError) result.first_error = load.firstError;
    return { result, usage };
  } finally {
    await runner.stop(40_000);
  }
}
