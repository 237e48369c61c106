import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createApp } from './app';
import { buildAppDeps } from './build-deps';

/** Starts the API on config.port; resolves once listening, with a stop() that drains it. */
export async function startApiServer(config: Config, logger: Logger): Promise<{ server: Server; url: string; stop(): Promise<void> }> {
  const pool = createPool(config.databaseUrl);
  await migrate(pool);
  if (config.urlPolicy.allowPrivateTargets) {
    logger.warn('HERALD_ALLOW_PRIVATE_TARGETS=true: http and private/loopback targets are allowed (development and tests only)');
  }
  const deps = await buildAppDeps(config, logger, pool);
  const server = createApp(deps).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
      await pool.end();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const api = await startApiServer(config, logger);
  logger.info({ url: api.url }, 'API listening');
  const stop = () => {
    logger.info('shutting down');
    api.stop().then(
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
