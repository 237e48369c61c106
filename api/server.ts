import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createHerald, type Herald } from '../composition/herald';
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { createHeraldWorker } from '../worker/create-worker';
import { createApp } from './app';
import type { AppDeps } from './deps';

/** Starts the API on config.port over `deps`; resolves once listening, with a stop() that drains it. */
async function startApiServer(deps: AppDeps): Promise<{ server: Server; url: string; stop(): Promise<void> }> {
  const { config, logger } = deps;
  if (config.urlPolicy.allowPrivateTargets) {
    logger.warn('HERALD_ALLOW_PRIVATE_TARGETS=true: http and private/loopback targets are allowed (development and tests only)');
  }
  const server = createApp(deps).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    stop: () => drain(server),
  };
}

/** How long requests in flight get to finish when the API stops, before their connections are cut. */
const DRAIN_MS = 10_000;

/**
 * Stops taking requests and waits for those in flight. server.close() alone is not enough: Node
 * keeps serving new requests on open keep-alive connections, so a busy client would hold the stop
 * off forever. Every answer from now on closes its connection, idle ones close at once, and what
 * is left after DRAIN_MS is cut.
 */
async function drain(server: Server): Promise<void> {
  server.on('request', (_req, res: { shouldKeepAlive: boolean }) => {
    res.shouldKeepAlive = false;
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  cut.unref();
  await closed;
  clearTimeout(cut);
}

export interface RunningService {
  url: string;
  /**
   * Settles once a SIGINT or SIGTERM has stopped the API (drained) and the worker (its in-flight
   * attempts finished, or handed back); rejects at once if the worker fails.
   */
  stopped: Promise<void>;
}

/**
 * Serves the API over `herald` until SIGINT or SIGTERM, with a Temporal worker in this process
 * when `withWorker`: publishes then hand each new delivery's first workflow task to it (eager
 * start). The caller closes `herald` once `stopped` settles. Used by `npm run api` and `npm start`.
 */
export async function runService(herald: Herald, { withWorker }: { withWorker: boolean }): Promise<RunningService> {
  // Running before the API listens, so that no publish comes before the worker it starts on.
  const worker = withWorker ? await createHeraldWorker(herald) : undefined;
  const working = worker?.run() ?? Promise.resolve();
  // Observed through `stopped`; this only keeps a failure before then from counting as unhandled.
  working.catch(() => undefined);
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer(herald);
  } catch (err) {
    await worker?.shutdown().catch(() => undefined);
    throw err;
  }
  // The worker stops itself on the same signals (the Temporal SDK's own handlers) and lets its
  // in-flight attempts finish within its shutdown grace; the API drains meanwhile.
  const signalled = new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  const drained = signalled.then(() => {
    herald.logger.info('shutting down');
    return api.stop();
  });
  // An API whose worker died would go on starting deliveries it can no longer run eagerly: fail
  // at once, so that whatever supervises the process starts it again.
  return { url: api.url, stopped: Promise.all([drained, working]).then(() => undefined) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = createLogger(config);
  const herald = await createHerald(config, logger, { withWorker: config.apiWithWorker });
  const service = await runService(herald, { withWorker: config.apiWithWorker });
  logger.info({ url: service.url, worker: config.apiWithWorker }, 'API listening');
  try {
    await service.stopped;
  } catch (err) {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  }
  await herald.close();
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
