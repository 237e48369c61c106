import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createEventPublisher } from '../app/publish-event';
import type { Config } from '../config/config';
import { createApiKeyRepository } from '../db/api-key-repository';
import { createAttemptInputsReader } from '../db/attempt-inputs';
import { createDeliveryRepository } from '../db/delivery-repository';
import { createEndpointRepository } from '../db/endpoint-repository';
import { createEventRepository } from '../db/event-repository';
import { createEventTypeRepository } from '../db/event-type-repository';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createPortalKeyRepository } from '../db/portal-key-repository';
import { createPublishingContextReader } from '../db/publishing-context';
import { createRateLimitRepository } from '../db/rate-limit-repository';
import { createTenantRepository } from '../db/tenant-repository';
import { createSecretBox } from '../domain/encryption';
import { USER_AGENT } from '../domain/version';
import { createMetrics } from '../observability/metrics';
import { createHttpSender } from '../outbound/http-sender';
import { createMailer } from '../outbound/mailer';
import { createDeliveryReader } from '../temporal/delivery-reader';
import { createDeliveryStarter } from '../temporal/delivery-starter';

export interface HeraldOptions {
  /**
   * A worker on Herald's task queue runs in this process (`npm start`, a worker process, the
   * tests): deliveries are then started eagerly, their first workflow task handed straight to it.
   */
  withWorker: boolean;
}

/**
 * The composition root: builds everything a Herald process uses from its config, once, and
 * closes it again. The API, the worker, `npm start` and the tests all start here; nothing else
 * reads the environment or makes process-wide objects.
 */
export async function createHerald(config: Config, logger: Logger, opts: HeraldOptions) {
  const pool = createPool(config.databaseUrl);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  // One native connection for the client and, in this process, the worker: eager workflow start
  // needs both on the same one, and it is the SDK's faster transport anyway.
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const metrics = createMetrics();
  const secretBox = createSecretBox(config.encryptionKey);
  const endpoints = createEndpointRepository(pool, secretBox);
  const events = createEventRepository(pool);
  const deliveries = createDeliveryRepository(pool);
  const starter = createDeliveryStarter(temporal, config.temporal.taskQueue, deliveries, {
    eagerStart: opts.withWorker,
    stallAfterMs: config.lifecycle.stallAfterMs,
    onError: (err) => logger.warn({ err }, 'workflow starts not confirmed in the outbox; its sweep starts them again, harmlessly'),
  });
  const sender = createHttpSender({ ...config.urlPolicy, userAgent: USER_AGENT });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.alertFrom, logger });

  return {
    config,
    logger,
    pool,
    metrics,
    connection,
    temporal,
    tenants: createTenantRepository(pool),
    apiKeys: createApiKeyRepository(pool),
    portalKey: createPortalKeyRepository(pool, secretBox),
    eventTypes: createEventTypeRepository(pool),
    readPublishingContext: createPublishingContextReader(pool),
    endpoints,
    events,
    deliveries,
    rateLimits: createRateLimitRepository(pool),
    loadAttemptInputs: createAttemptInputsReader(pool, secretBox),
    sender,
    mailer,
    starter,
    reader: createDeliveryReader(temporal, config.temporal.namespace, config.encryptionKey),
    publishEvent: createEventPublisher({ endpoints, events, starter, logger, metrics, startWaitMs: config.startWaitMs }),
    links: { publicUrl: config.publicUrl, temporalUiUrl: config.temporal.uiUrl, namespace: config.temporal.namespace },
    alertIntervalMs: config.lifecycle.alertIntervalMs,
    autoDisableAfterMs: config.lifecycle.autoDisableAfterMs,
    eventRetentionMs: config.lifecycle.eventRetentionMs,
    /** Closes what createHerald opened; a worker on `connection` must be shut down first. */
    async close(): Promise<void> {
      await starter.drain();
      mailer.close();
      await sender.close();
      await connection.close();
      await pool.end();
    },
  };
}

export type Herald = Awaited<ReturnType<typeof createHerald>>;
