import { loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createHeraldWorker } from './create-worker';
import { startMetricsServer } from './metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const pool = createPool(config.databaseUrl);
  try {
    await migrate(pool);
    const herald = await createHeraldWorker({ config, logger, pool });
    // SIGINT/SIGTERM are handled by the Temporal worker itself: it stops polling and lets
    // in-flight attempts finish within the grace time.
    const metrics = config.metricsPort === undefined ? undefined : startMetricsServer(config.metricsPort, config.host, config.metricsToken);
    logger.info({ taskQueue: config.temporal.taskQueue, metricsPort: config.metricsPort }, 'worker started');
    await herald.run();
    metrics?.close();
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
