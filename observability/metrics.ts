import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Herald's Prometheus metrics on a registry of their own, made once per process by the
 * composition root and passed to whatever counts: no import-time globals, so a test reads exactly
 * what its own stack counted. Labels are outcomes and codes only, never tenants or endpoints.
 */
export function createMetrics() {
  const registry = new Registry();
  // Default metrics are already named process_* and nodejs_*: the prefix makes them herald_process_*.
  collectDefaultMetrics({ register: registry, prefix: 'herald_' });
  const registers = [registry];
  return {
    registry,
    eventsPublished: new Counter({ name: 'herald_events_published_total', help: 'Events accepted (system events included)', registers }),
    attempts: new Counter({
      name: 'herald_delivery_attempts_total',
      help: 'Delivery attempts by outcome and error code',
      labelNames: ['outcome', 'code'] as const,
      registers,
    }),
    attemptDuration: new Histogram({
      name: 'herald_delivery_attempt_duration_seconds',
      help: 'Time from sending an attempt to its outcome (response, error or timeout)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    deliveriesEnded: new Counter({
      name: 'herald_deliveries_ended_total',
      help: 'Deliveries that reached a final status, counted once by the workflow that ended them',
      labelNames: ['status'] as const,
      registers,
    }),
    deliveriesStalled: new Counter({
      name: 'herald_deliveries_stalled_total',
      help: 'Times a delivery could not make an attempt for longer than the stall threshold (PostgreSQL down, a worker lost)',
      registers,
    }),
    stickyReleases: new Counter({
      name: 'herald_worker_sticky_releases_total',
      help: 'Waiting runs evicted from the worker cache and released to the shared task queue, by result',
      labelNames: ['result'] as const,
      registers,
    }),
    infrastructureFaults: new Counter({
      name: 'herald_attempt_infrastructure_faults_total',
      help: 'Attempts that could not run because of an infrastructure fault; Temporal retries them',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
