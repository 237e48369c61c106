// `npm run bench`: Herald's throughput, latency and memory against a bare Temporal baseline on the
// same server (README, "Performance"). Everything it starts is stopped on exit, Ctrl-C or the global deadline.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBenchArgs, type BenchOptions } from './args';
import { runBacklog } from './backlog';
import { runBaselineLoad } from './baseline-load';
import { runFloorLoad } from './floor-load';
import { profileArgs, spawnNode } from './children';
import { createHeraldApi, type HeraldApi } from './herald-api';
import { runHeraldLoad } from './herald-load';
import { countHistories, latencyBreakdown } from './history';
import { machineInfo } from './machine';
import { readMachine, readPostgres, readProcess } from './proc-stats';
import { say } from './progress';
import { startReceiver, type Receiver } from './receiver-client';
import { formatReport } from './report';
import type { BenchResults } from './results';
import { createSampler, type ProcessUsage, type Sampler } from './sampler';
import { startStack, type Stack } from './stack';
import { phaseDeadline } from './wait';

const WARMUP_EVENTS = 20;
/** Time allowed for cleanup once the deadline has passed, before the process gives up on it. */
const CLEANUP_MS = 90_000;

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2));
  const deadline = Date.now() + opts.deadlineSeconds * 1000;
  const stops: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const stop of stops.reverse()) await stop().catch((err: Error) => say(`cleanup: ${err.message}`));
    })());
  const interrupt = (why: string, code: number) => {
    say(`${why}: stopping everything the benchmark started ...`);
    setTimeout(() => process.exit(code), CLEANUP_MS).unref();
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => interrupt('interrupted', 130)).once('SIGTERM', () => interrupt('terminated', 143));
  setTimeout(() => interrupt(`global deadline of ${opts.deadlineSeconds}s passed`, 2), opts.deadlineSeconds * 1000 + CLEANUP_MS).unref();

  try {
    if (opts.profileDir) await mkdir(opts.profileDir, { recursive: true });
    const sampler = createSampler();
    stops.push(async () => sampler.stop());
    const receiver = await startReceiver(say);
    stops.push(receiver.stop);
    const stack = await startStack({
      profileDir: opts.profileDir,
      temporalDb: opts.temporalDb,
      devVisibilityIndexes: opts.devVisibilityIndexes,
      devServerArgs: opts.devServerArgs,
      topology: opts.topology,
      temporal: opts.temporal,
      workers: opts.workers,
      workflowBundle: opts.workflowBundle,
      stops,
      log: say,
    });
    watchProcesses(sampler, stack, receiver);
    const api = createHeraldApi(stack.apiUrl, stack.adminKey, opts.concurrency + 8);
    stops.push(() => api.close());

    const results = await runPhases(opts, { stack, receiver, sampler, api, deadline, stops });
    await writeFile(opts.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(formatReport(results));
    console.log(`\nResults written to ${path.resolve(opts.out)}`);
    if (opts.profileDir) say(`CPU profiles of the API and worker are written to ${path.resolve(opts.profileDir)} as they exit`);
  } finally {
    await stopAll();
  }
}

function watchProcesses(sampler: Sampler, stack: Stack, receiver: Receiver): void {
  if (stack.api === stack.worker) {
    sampler.add('herald', () => readProcess(stack.api.pid));
  } else {
    sampler.add('api', () => readProcess(stack.api.pid));
    for (const worker of stack.workers) sampler.add(worker.name, () => readProcess(worker.pid));
  }
  if (stack.temporal.pid !== undefined) sampler.add('temporal', () => readProcess(stack.temporal.pid!));
  if (stack.database.postmasterPid !== undefined) sampler.add('postgres', () => readPostgres(stack.database.postmasterPid!));
  sampler.add('receiver', () => readProcess(receiver.child.pid));
  sampler.add('bench', () => readProcess(process.pid));
  // Everything on the machine, ours or not: shows when something else competes for the cores.
  sampler.add('machine (all)', readMachine);
}

interface PhaseContext {
  stack: Stack;
  receiver: Receiver;
  sampler: Sampler;
  api: HeraldApi;
  deadline: number;
  stops: (() => Promise<void>)[];
}

async function runPhases(opts: BenchOptions, ctx: PhaseContext): Promise<BenchResults> {
  const { stack, receiver, sampler, api, deadline } = ctx;
  const results: BenchResults = {
    started_at: new Date().toISOString(),
    config: {
      events: opts.events,
      endpoints: opts.endpoints,
      backlog: opts.backlog,
      concurrency: opts.concurrency,
      half_seconds: opts.halfSeconds,
      temporal_db: opts.temporalDb,
      dev_visibility_indexes: opts.devVisibilityIndexes,
      dev_server_args: opts.devServerArgs,
      topology: opts.topology,
      temporal: opts.temporal,
      workers: opts.workers,
      workflow_bundle: opts.workflowBundle,
    },
    machine: machineInfo(stack.temporal.version, stack.database.version),
    database: stack.database.kind,
    herald: null,
    half_load: null,
    baseline: null,
    ratio: null,
    ratio_cpu: null,
    floor: null,
    ratio_floor: null,
    backlog: null,
    history: { herald: null, baseline: null },
    half_load_baseline: null,
    latency_breakdown_ms: { herald_half_load: null, baseline_half_load: null },
    processes: {},
    cpu_ms_per_delivery: {},
    errors: [],
  };
  const perDelivery = (events: number) => 120_000 + events * opts.endpoints * 100;

  const tenantId = await api.createTenant('bench');
  for (let i = 0; i < opts.endpoints; i++) await api.createEndpoint(tenantId, `${receiver.url}/hook/${i}`, { preset: 'default' });
  const load = (label: string, events: number, shape: { concurrency: number } | { ratePerS: number; maxInFlight: number }) =>
    runHeraldLoad({ api, receiver, tenantId, events, fanOut: opts.endpoints, deadline: phaseDeadline(deadline, perDelivery(events)), shape, label });

  say(`warm-up: ${WARMUP_EVENTS} events (the worker bundles its workflows first) ...`);
  const warm = await load('warm-up', WARMUP_EVENTS, { concurrency: 4 });
  if (warm.result.timed_out) throw new Error(`warm-up did not complete: ${JSON.stringify(warm.result)}`);

  if (opts.phases.has('herald')) {
    say(`full load: ${opts.events} events x ${opts.endpoints} endpoints, ${opts.concurrency} publishers ...`);
    const end = sampler.window();
    const full = await load('full load', opts.events, { concurrency: opts.concurrency });
    results.processes.full_load = end();
    results.herald = full.result;
    results.cpu_ms_per_delivery.herald = cpuPerItem(results.processes.full_load, full.result.delivered);
    results.history.herald = await countHistories(stack.client, [...full.publishedAt.keys()]).catch(() => null);
    say(`full load: ${full.result.events_per_s} events/s accepted, ${full.result.deliveries_per_s} deliveries/s`);
  }

  if (opts.phases.has('half') && results.herald && results.herald.deliveries_per_s > 0) {
    const rate = results.herald.deliveries_per_s / 2 / opts.endpoints;
    const events = Math.max(20, Math.min(opts.events, Math.round(rate * opts.halfSeconds)));
    say(`half load: ${events} events paced at ${rate.toFixed(1)} events/s (${(rate * opts.endpoints).toFixed(1)} deliveries/s) ...`);
    const end = sampler.window();
    const half = await load('half load', events, { ratePerS: rate, maxInFlight: 4 * opts.concurrency });
    results.processes.half_load = end();
    results.half_load = half.result;
    results.latency_breakdown_ms.herald_half_load = await latencyBreakdown(stack.client, half.publishedAt, receiver.okAt).catch(() => null);
  }

  if (opts.phases.has('baseline')) {
    const taskQueue = `bench-baseline-${randomBytes(3).toString('hex')}`;
    const worker = spawnNode({
      name: 'baseline-worker',
      script: 'bench/baseline/worker.ts',
      env: { TEMPORAL_ADDRESS: stack.temporal.address, BASELINE_TASK_QUEUE: taskQueue },
      nodeArgs: profileArgs(opts.profileDir, 'baseline-worker'),
      log: say,
    });
    ctx.stops.push(() => worker.stop(40_000));
    sampler.add('baseline-worker', () => readProcess(worker.pid));
    const count = opts.events * opts.endpoints;
    const run = (runId: string, n: number, concurrency: number) =>
      runBaselineLoad({ client: stack.client, receiver, taskQueue, runId, count: n, concurrency, deadline: phaseDeadline(deadline, perDelivery(n / opts.endpoints)) });
    say(`baseline warm-up ...`);
    await run('bl_warm', WARMUP_EVENTS, 4);
    // The same pace as Herald's half load, for the latency breakdown of a bare workflow.
    if (results.half_load?.target_events_per_s) {
      const rate = results.half_load.target_events_per_s * opts.endpoints;
      say(`baseline at Herald's half-load pace (${rate.toFixed(1)} workflows/s) ...`);
      const paced = await runBaselineLoad({
        client: stack.client, receiver, taskQueue, runId: 'bl_half', count: results.half_load.deliveries, concurrency: 0, ratePerS: rate, deadline: phaseDeadline(deadline, 120_000),
      });
      results.half_load_baseline = paced.result;
      results.latency_breakdown_ms.baseline_half_load = await latencyBreakdown(stack.client, paced.startedAt, receiver.okAt).catch(() => null);
    }
    say(`baseline: ${count} bare workflows, ${opts.concurrency} starters ...`);
    const end = sampler.window();
    results.baseline = (await run('bl', count, opts.concurrency)).result;
    results.processes.baseline = end();
    results.cpu_ms_per_delivery.baseline = cpuPerItem(results.processes.baseline, results.baseline.completed);
    results.history.baseline = await countHistories(stack.client, Array.from({ length: count }, (_, i) => `bl_${i}`)).catch(() => null);
    await worker.stop(40_000);
    if (results.herald && results.baseline.workflows_per_s > 0) {
      results.ratio = Math.round((results.herald.deliveries_per_s / results.baseline.workflows_per_s) * 1000) / 1000;
    }
    // Throughput is shared with whatever else runs on the machine; CPU per delivery much less so.
    const total = (perItem: Record<string, number> | undefined) => Object.values(perItem ?? {}).reduce((a, b) => a + b, 0);
    const heraldCpu = total(results.cpu_ms_per_delivery.herald);
    if (heraldCpu > 0) results.ratio_cpu = Math.round((total(results.cpu_ms_per_delivery.baseline) / heraldCpu) * 1000) / 1000;
    say(`baseline: ${results.baseline.workflows_per_s} workflows/s; ratio ${results.ratio ?? '-'} (by CPU per delivery ${results.ratio_cpu ?? '-'})`);
  }

  if (opts.phases.has('floor')) {
    const count = opts.events * opts.endpoints;
    say(`design floor: ${count} workflows with one local activity, started eagerly in the worker's process, ${opts.concurrency} starters ...`);
    const floor = await runFloorLoad({
      temporalAddress: stack.temporal.address, receiver, sampler, count, concurrency: opts.concurrency, deadline: phaseDeadline(deadline, perDelivery(opts.events)), log: say,
    });
    results.floor = floor.result;
    results.processes.floor = floor.usage;
    results.cpu_ms_per_delivery.floor = cpuPerItem(floor.usage, floor.result.completed);
    if (results.herald && floor.result.workflows_per_s > 0) {
      results.ratio_floor = Math.round((results.herald.deliveries_per_s / floor.result.workflows_per_s) * 1000) / 1000;
    }
    say(`design floor: ${floor.result.workflows_per_s} workflows/s; ratio_floor ${results.ratio_floor ?? '-'}`);
  }

  if (opts.phases.has('backlog') && opts.backlog > 0) {
    const h = results.herald;
    // Seeding goes at about the fresh delivery rate: batches publish fast, and bench/backlog.ts keeps
    // at most MAX_AHEAD first attempts outstanding. The events/s of a fan-out phase (4 endpoints by
    // default) would keep the receiver down far longer than seeding takes, and the deadline would
    // cut the drain short.
    const expectedRate = h ? Math.max(10, h.deliveries_per_s) : 50;
    say(`backlog: ${opts.backlog} deliveries to a receiver that is down ...`);
    const { processes_waiting, processes_draining, ...backlog } = await runBacklog({
      api, receiver, sampler, count: opts.backlog, concurrency: opts.concurrency, expectedRate, deadline, log: say,
    });
    results.backlog = backlog;
    results.processes.backlog_wait = processes_waiting;
    results.processes.backlog_drain = processes_draining;
  }
  return results;
}

/** CPU milliseconds each process spent per delivery (or baseline workflow) over a phase. */
function cpuPerItem(usage: Record<string, ProcessUsage>, items: number): Record<string, number> {
  const perItem: Record<string, number> = {};
  for (const [name, u] of Object.entries(usage)) {
    if (items > 0 && name !== 'machine (all)') perItem[name] = Math.round((u.cpu_seconds * 10000) / items) / 10;
  }
  return perItem;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
