// Publishes events through Herald's API and follows each delivery to the receiver.
import type { HeraldApi } from './herald-api';
import { closedLoop, nowMs, paced, type LoadResult } from './load';
import { progress } from './progress';
import type { Receiver } from './receiver-client';
import { percentiles, perSecond, type Percentiles } from './stats';
import { waitUntil } from './wait';

export interface HeraldLoadResult {
  events: number;
  deliveries: number;
  delivered: number;
  publish_errors: number;
  first_error?: string;
  timed_out: boolean;
  seconds: number;
  events_per_s: number;
  deliveries_per_s: number;
  /** Publish (request sent) to receipt at the receiver (2xx). */
  latency_ms: Percentiles | null;
  /** Time the API took to answer POST /v1/events. */
  publish_ms: Percentiles | null;
  /** Events published per second asked for (paced runs only). */
  target_events_per_s?: number;
  late_starts?: number;
}

export interface HeraldLoadOptions {
  api: HeraldApi;
  receiver: Receiver;
  tenantId: string;
  events: number;
  /** Endpoints of the tenant: deliveries expected per event. */
  fanOut: number;
  deadline: number;
  /** Closed loop with this many publishers, or paced at `ratePerS`. */
  shape: { concurrency: number } | { ratePerS: number; maxInFlight: number };
  label: string;
}

/** Runs the load; also hands back when each delivery was published (for history sampling). */
export async function runHeraldLoad(opts: HeraldLoadOptions): Promise<{ result: HeraldLoadResult; publishedAt: Map<string, number> }> {
  const { api, receiver } = opts;
  const publishedAt = new Map<string, number>();
  // Deliveries not yet seen at the receiver, pruned on each look so checking stays cheap.
  const waiting = new Set<string>();
  const publishMs: number[] = [];
  const publishOne = async (i: number) => {
    const sent = nowMs();
    const { deliveryIds } = await api.publish(opts.tenantId, { n: i, label: opts.label, at: new Date(sent).toISOString() });
    publishMs.push(nowMs() - sent);
    for (const id of deliveryIds) {
      publishedAt.set(id, sent);
      waiting.add(id);
    }
  };
  const expected = opts.events * opts.fanOut;
  const delivered = () => {
    for (const id of waiting) if (receiver.okAt.has(id)) waiting.delete(id);
    return publishedAt.size - waiting.size;
  };
  const stopProgress = progress(() => `${opts.label}: published ${publishMs.length}/${opts.events} events, delivered ${delivered()}/${expected}`);
  let load: LoadResult & { lateStarts?: number };
  try {
    load =
      'concurrency' in opts.shape
        ? await closedLoop(opts.events, opts.shape.concurrency, opts.deadline, publishOne)
        : await paced(opts.events, opts.shape.ratePerS, opts.shape.maxInFlight, opts.deadline, publishOne);
    await waitUntil(() => delivered() >= publishedAt.size, opts.deadline, 100);
  } finally {
    stopProgress();
  }

  const latencies: number[] = [];
  let lastReceipt = load.startedAt;
  for (const [id, sent] of publishedAt) {
    const at = receiver.okAt.get(id);
    if (at === undefined) continue;
    latencies.push(at - sent);
    lastReceipt = Math.max(lastReceipt, at);
  }
  const result: HeraldLoadResult = {
    events: load.done,
    deliveries: publishedAt.size,
    delivered: latencies.length,
    publish_errors: load.errors,
    timed_out: latencies.length < publishedAt.size || load.done + load.errors < opts.events,
    seconds: Math.round(lastReceipt - load.startedAt) / 1000,
    events_per_s: perSecond(load.done, load.endedAt - load.startedAt),
    deliveries_per_s: perSecond(latencies.length, lastReceipt - load.startedAt),
    latency_ms: percentiles(latencies),
    publish_ms: percentiles(publishMs),
  };
  if (load.firstError !== undefined) result.first_error = load.firstError;
  if ('ratePerS' in opts.shape) result.target_events_per_s = Math.round(opts.shape.ratePerS * 10) / 10;
  if (load.lateStarts !== undefined) result.late_starts = load.lateStarts;
  return { result, publishedAt };
}
