// The backlog scenario: the receiver is down while K deliveries fail their first attempt and wait
// on retry timers; then it is back and every timer fires at the same instant (the receiver's
// Retry-After date), so the drain rate is what Herald sustains with K workflows due at once.
import type { HeraldApi, Published } from './herald-api';
import { closedLoop } from './load';
import { progress } from './progress';
import type { Receiver } from './receiver-client';
import type { ProcessUsage, Sampler } from './sampler';
import { perSecond } from './stats';
import { waitUntil } from './wait';

export interface BacklogResult {
  deliveries: number;
  published: number;
  publish_errors: number;
  first_error?: string;
  /** Deliveries whose first attempt reached the (down) receiver. */
  first_attempts: number;
  publish_seconds: number;
  /** From the last first attempt to the instant the timers fire. */
  wait_seconds: number;
  /** The worker's highest RSS while every delivery waits on its timer. */
  worker_rss_mb: number;
  temporal_rss_mb: number | undefined;
  drained: number;
  drain_seconds: number;
  drain_per_s: number;
  /** Times the "back up" instant was pushed later because publishing was slower than estimated. */
  retry_at_pushes: number;
  timed_out: boolean;
  processes_waiting: Record<string, ProcessUsage>;
  processes_draining: Record<string, ProcessUsage>;
}

const PUSH_MS = 30_000;
/** Events per batch request, and batch requests in flight, while setting up the backlog. */
const BATCH = 50;
const BATCH_CONCURRENCY = 4;
/**
 * Publishing waits while this many deliveries have not made their first attempt yet: far ahead,
 * their first workflow tasks pile up in Temporal's task queue, which costs the server more than
 * the backlog itself (the dev server then managed about 10 first attempts a second).
 */
const MAX_AHEAD = 2_000;
/** Every retry waits on the Retry-After date, so these delays only bound how often it may be pushed. */
const RETRY = { delays: Array<string>(10).fill('1s') };

export async function runBacklog(opts: {
  api: HeraldApi;
  receiver: Receiver;
  sampler: Sampler;
  count: number;
  concurrency: number;
  /** Deliveries per second expected for publishing plus first attempts, to place the instant. */
  expectedRate: number;
  deadline: number;
  log: (m: string) => void;
}): Promise<BacklogResult> {
  const { api, receiver, sampler, log } = opts;
  const tenantId = await api.createTenant('bench backlog');
  await api.createEndpoint(tenantId, `${receiver.url}/backlog`, RETRY);

  let upAt = Math.ceil((Date.now() + (opts.count / opts.expectedRate) * 1000 * 1.3 + 20_000) / 1000) * 1000;
  let pushes = 0;
  receiver.setDownUntil(upAt);
  log(`backlog: receiver down until ${new Date(upAt).toISOString()} (${Math.round((upAt - Date.now()) / 1000)} s from now)`);

  const ids: string[] = [];
  const notSeen = new Set<string>();
  const firstAttempts = () => {
    for (const id of notSeen) if (receiver.firstSeenAt.has(id)) notSeen.delete(id);
    return ids.length - notSeen.size;
  };
  let publishing = true;
  // If publishing or first attempts run late, move the instant on before any timer reaches it.
  const watchdog = setInterval(() => {
    if ((publishing || firstAttempts() < ids.length) && Date.now() > upAt - 10_000) {
      upAt += PUSH_MS;
      pushes++;
      receiver.setDownUntil(upAt);
      log(`backlog: still publishing; receiver down until ${new Date(upAt).toISOString()}`);
    }
  }, 1000);
  const stopProgress = progress(() => `backlog: published ${ids.length}/${opts.count}, first attempts ${firstAttempts()}`);
  const track = (published: Published[]) => {
    for (const id of published.flatMap((p) => p.deliveryIds)) {
      ids.push(id);
      notSeen.add(id);
    }
  };
  // Setting up the backlog is not what is measured: batches of events make it quicker when the
  // API has a batch endpoint; the first batch tells.
  const first = await api.publishBatch(tenantId, [{ n: 0, label: 'backlog' }]);
  const batchSize = first ? BATCH : 1;
  if (first) track(first);
  const offset = first ? 1 : 0;
  const requests = Math.ceil((opts.count - offset) / batchSize);
  const load = await closedLoop(requests, Math.min(opts.concurrency, BATCH_CONCURRENCY), opts.deadline, async (r) => {
    await waitUntil(() => ids.length - firstAttempts() < MAX_AHEAD, opts.deadline, 200);
    const from = offset + r * batchSize;
    const data = Array.from({ length: Math.min(batchSize, opts.count - from) }, (_, k) => ({ n: from + k, label: 'backlog' }));
    track(first ? ((await api.publishBatch(tenantId, data)) ?? []) : [await api.publish(tenantId, data[0])]);
  });
  publishing = false;
  await waitUntil(() => firstAttempts() >= ids.length, Math.min(opts.deadline, upAt - 2000), 200);
  clearInterval(watchdog);
  stopProgress();
  const firstDone = Date.now();
  const attempted = firstAttempts();
  log(`backlog: ${attempted} deliveries waiting on timers; sampling memory until ${new Date(upAt).toISOString()}`);

  const endWait = sampler.window();
  await waitUntil(() => false, Math.min(opts.deadline, upAt), 500);
  const waiting = endWait();

  const endDrain = sampler.window();
  const notOk = new Set(ids);
  const drained = () => {
    for (const id of notOk) if (receiver.okAt.has(id)) notOk.delete(id);
    return ids.length - notOk.size;
  };
  const stopDrainProgress = progress(() => `backlog: drained ${drained()}/${ids.length}`);
  const complete = await waitUntil(() => drained() >= ids.length, opts.deadline, 100);
  stopDrainProgress();
  const draining = endDrain();
  let last = upAt;
  for (const id of ids) last = Math.max(last, receiver.okAt.get(id) ?? 0);

  const result: BacklogResult = {
    deliveries: ids.length,
    published: ids.length,
    publish_errors: load.errors,
    first_attempts: attempted,
    publish_seconds: Math.round(load.endedAt - load.startedAt) / 1000,
    wait_seconds: Math.round((upAt - firstDone) / 100) / 10,
    // Under the single topology the worker is the `herald` process.
    worker_rss_mb: (waiting.worker ?? waiting.herald)?.peak_rss_mb ?? 0,
    temporal_rss_mb: waiting.temporal?.peak_rss_mb,
    drained: drained(),
    drain_seconds: Math.round(last - upAt) / 1000,
    drain_per_s: perSecond(drained(), last - upAt),
    retry_at_pushes: pushes,
    timed_out: !complete || ids.length < opts.count,
    processes_waiting: waiting,
    processes_draining: draining,
  };
  if (load.firstError !== undefined) result.first_error = load.firstError;
  return result;
}
