import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createHerald } from '../composition/herald';
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { createHeraldWorker } from '../worker/create-worker';
import { createApp } from './app';
import type { AppDeps } from './deps';

/** Starts the API on config.port over `deps`; resolves once listening, with a stop() that drains it. */
export async function startApiServer(deps: AppDeps): Promise<{ server: Server; url: string; stop(): Promise<void> }> {
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

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = createLogger(config);
  const herald = await createHerald(config, logger, { withWorker: config.apiWithWorker });
  // Running before the API listens, so that no publish comes before the worker it starts on.
  const worker = config.apiWithWorker ? await createHeraldWorker(herald) : undefined;
  const working = worker?.run();
  // An API whose worker died would go on starting deliveries it can no longer run eagerly:
  // exit, so that whatever supervises the process starts it again.
  working?.catch((err) => {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  });
  const api = await startApiServer(herald);
  logger.info({ url: api.url, worker: worker !== undefined }, 'API listening');
  const stop = () => {
    logger.info('shutting down');
    // The worker stops itself on the same signals and lets its in-flight attempts finish (its
    // shutdown grace); the API drains meanwhile, and the shared connections close after both.
    Promise.all([api.stop(), working])
      .then(() => herald.close())
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
