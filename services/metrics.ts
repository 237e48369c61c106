import { collectDefaultMetrics, Counter, Histogram, register } from 'prom-client';

// One registry per process: under `npm start` the API and the worker share it, so the API's
// /metrics shows both; a separate worker process serves its own on HERALD_METRICS_PORT.
collectDefaultMetrics({ prefix: 'herald_process_' });

export const eventsPublished = new Counter({
  name: 'herald_events_published_total',
  help: 'Events accepted by the API (system events included)',
});

export const attempts = new Counter({
  name: 'herald_delivery_attempts_total',
  help: 'Delivery attempts by outcome and error code',
  labelNames: ['outcome', 'code'] as const,
});

export const attemptDuration = new Histogram({
  name: 'herald_delivery_attempt_duration_seconds',
  help: 'Time from sending an attempt to its outcome (response, error or timeout)',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

export const deliveriesEnded = new Counter({
  name: 'herald_deliveries_ended_total',
  help: 'Deliveries that reached a final status through an attempt or exhaustion (a cancel signal is not counted here)',
  labelNames: ['status'] as const,
});

export const metricsRegistry = register;
