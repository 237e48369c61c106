import { z } from 'zod';
import { durationSchema } from '../domain/durations';
import { masterKeyFault } from '../domain/encryption';

const DAY = 86_400_000;
/** Workflow task, local activity and activity slots of a worker (README, "Configuration"). */
export const DEFAULT_WORKER_CONCURRENCY = 50;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url(),
  TEMPORAL_ADDRESS: z.string().min(1),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('herald-deliveries'),
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
  HERALD_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters'),
  // Checked here, before migrations run or Temporal is reached, not when the first secret is read.
  HERALD_ENCRYPTION_KEY: z.string().superRefine((key, ctx) => {
    const fault = masterKeyFault(key);
    if (fault) ctx.addIssue({ code: z.ZodIssueCode.custom, message: fault });
  }),
  HERALD_ALLOW_PRIVATE_TARGETS: booleanFlag,
  HERALD_REFUSED_DOMAINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((d) => d.trim().toLowerCase().replace(/^\.+|\.+$/g, '')).filter(Boolean)),
  HERALD_API_WITH_WORKER: booleanFlag,
  HERALD_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(1000),
  HERALD_WORKER_CONCURRENCY: z.coerce.number().int().min(2).max(1000).default(DEFAULT_WORKER_CONCURRENCY),
  HERALD_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  HERALD_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  HERALD_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  HERALD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().url().optional(),
  HERALD_ALERT_FROM: z.string().default('Herald <herald@localhost>'),
  HERALD_PUBLIC_URL: z.string().url().optional(),
  HERALD_ALERT_INTERVAL: durationSchema({ min: 0, max: 7 * DAY }).default('1h'),
  HERALD_AUTO_DISABLE_AFTER: durationSchema({ min: 0, max: 365 * DAY }).default('5d'),
  HERALD_EVENT_RETENTION: durationSchema({ min: 60_000, max: 3650 * DAY }).default('30d'),
  HERALD_MAINTENANCE_INTERVAL: durationSchema({ min: 1_000, max: DAY }).default('1m'),
  HERALD_STALL_AFTER: durationSchema({ min: 1_000, max: DAY }).default('5m'),
  HERALD_START_WAIT: durationSchema({ min: 0, max: 60_000 }).default('2s'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string };
  adminKey: string;
  encryptionKey: string;
  /** (README, "Security model") target policy: private targets (dev/tests only) and refused domains. */
  urlPolicy: { allowPrivateTargets: boolean; refusedDomains: string[] };
  logLevel: z.output<typeof envSchema>['HERALD_LOG_LEVEL'];
  /**
   * Workflows a worker keeps in memory (sticky cache). Deliveries waiting on timers beyond it are
   * replayed from history when they wake, which bounds worker memory under a large backlog.
   */
  maxCachedWorkflows: number;
  /**
   * Workflow tasks a worker runs at once. An attempt runs inside its workflow task, so this is
   * also the attempts in flight per worker (README, "Configuration").
   */
  workerConcurrency: number;
  /**
   * A workflow bundle built ahead of time (npm run build:workflows) for workers to load instead of
   * bundling the workflow sources when they start; undefined: bundle at start.
   */
  workflowBundlePath: string | undefined;
  /**
   * `npm run api` runs a worker in its own process too, so that its publishes start deliveries
   * eagerly on it (README, "Production").
   */
  apiWithWorker: boolean;
  /** A standalone worker serves Prometheus metrics here (the API serves its own on /metrics). */
  metricsPort: number | undefined;
  /** When set, /metrics answers only `Authorization: Bearer <token>`; unset, it is public. */
  metricsToken: string | undefined;
  smtpUrl: string | undefined;
  alertFrom: string;
  /** Where people reach the API; alert mails link to it. */
  publicUrl: string;
  /**
   * How long a publish waits for its delivery workflows to start before answering anyway: the
   * event is stored by then, and a start that fails is made up by the outbox sweep.
   */
  startWaitMs: number;
  lifecycle: {
    /** At most one alert mail per endpoint within this time. */
    alertIntervalMs: number;
    /** An endpoint failing without a break for this long is disabled; 0 = never. */
    autoDisableAfterMs: number;
    eventRetentionMs: number;
    /** How often the maintenance schedule runs its checks. */
    maintenanceIntervalMs: number;
    /** A delivery that cannot run an attempt for this long (an infrastructure fault) reports itself stalled. */
    stallAfterMs: number;
  };
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see README, .env.example):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE, uiUrl: e.TEMPORAL_UI_URL },
    adminKey: e.HERALD_ADMIN_KEY,
    encryptionKey: e.HERALD_ENCRYPTION_KEY,
    urlPolicy: { allowPrivateTargets: e.HERALD_ALLOW_PRIVATE_TARGETS, refusedDomains: e.HERALD_REFUSED_DOMAINS },
    logLevel: e.HERALD_LOG_LEVEL,
    metricsPort: e.HERALD_METRICS_PORT,
    metricsToken: e.HERALD_METRICS_TOKEN,
    apiWithWorker: e.HERALD_API_WITH_WORKER,
    maxCachedWorkflows: e.HERALD_WORKER_MAX_CACHED_WORKFLOWS,
    workerConcurrency: e.HERALD_WORKER_CONCURRENCY,
    workflowBundlePath: e.HERALD_WORKFLOW_BUNDLE,
    smtpUrl: e.SMTP_URL,
    alertFrom: e.HERALD_ALERT_FROM,
    publicUrl: e.HERALD_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    startWaitMs: e.HERALD_START_WAIT,
    lifecycle: {
      alertIntervalMs: e.HERALD_ALERT_INTERVAL,
      autoDisableAfterMs: e.HERALD_AUTO_DISABLE_AFTER,
      eventRetentionMs: e.HERALD_EVENT_RETENTION,
      maintenanceIntervalMs: e.HERALD_MAINTENANCE_INTERVAL,
      stallAfterMs: e.HERALD_STALL_AFTER,
    },
  };
}
