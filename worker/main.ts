import { createHerald } from '../composition/herald';
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { createHeraldWorker } from './create-worker';
import { startMetricsServer } from './metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const herald = await createHerald(config, logger, { withWorker: true });
  try {
    const worker = await createHeraldWorker(herald);
    // SIGINT/SIGTERM are handled by the Temporal worker itself: it stops polling and lets
    // in-flight attempts finish within the grace time.
    const metrics = config.metricsPort === undefined ? undefined : startMetricsServer(herald.metrics.registry, config.metricsPort, config.host, config.metricsToken);
    logger.info({ taskQueue: config.temporal.taskQueue, metricsPort: config.metricsPort }, 'worker started');
    await worker.run();
    metrics?.close();
  } finally {
    await herald.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
