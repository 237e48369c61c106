import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { createHttpSender } from '../activities/http-sender';
import type { Config } from '../config/config';
import { createDeliveryRepository } from '../db/delivery-repository';
import { createEndpointRepository } from '../db/endpoint-repository';
import { createEventRepository } from '../db/event-repository';
import { createRateLimitRepository } from '../db/rate-limit-repository';
import { createTenantRepository } from '../db/tenant-repository';
import { createSecretBox } from '../domain/encryption';
import { USER_AGENT } from '../domain/version';
import { createEventPublisher } from '../services/event-publisher';
import { createMailer } from '../services/mailer';
import { createDeliveryStarter } from '../temporal/delivery-starter';
import { ensureMaintenanceSchedule } from '../temporal/maintenance-schedule';
import { ensureSearchAttributes } from '../temporal/search-attributes';

export interface HeraldWorker {
  worker: Worker;
  /** Runs until shutdown; in-flight attempts finish (or are handed back) before it resolves. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A worker on Herald's task queue with every activity wired to this process's dependencies. */
export async function createHeraldWorker(opts: { config: Config; logger: Logger; pool: Pool }): Promise<HeraldWorker> {
  const { config, logger, pool } = opts;
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // A long-lived Temporal server (docker-compose) learns Herald's search attributes here; the dev
  // server already has them from its start-up flags, so this is one cheap list call there.
  await ensureSearchAttributes(connection, config.temporal.namespace);
  // Activities start workflows too (system events, the outbox sweep): they need a client.
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  await ensureMaintenanceSchedule(client, config.temporal.taskQueue, config.lifecycle.maintenanceIntervalMs);

  const sender = createHttpSender({ ...config.urlPolicy, userAgent: USER_AGENT });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.alertFrom, logger });
  const endpoints = createEndpointRepository(pool, createSecretBox(config.encryptionKey));
  const events = createEventRepository(pool);
  const deliveries = createDeliveryRepository(pool);
  const starter = createDeliveryStarter(client, config.temporal.taskQueue, deliveries);
  const activities = createActivities({
    endpoints,
    events,
    deliveries,
    tenants: createTenantRepository(pool),
    rateLimits: createRateLimitRepository(pool),
    sender,
    mailer,
    starter,
    publishEvent: createEventPublisher({ endpoints, events, starter, logger }),
    logger,
    links: { publicUrl: config.publicUrl, temporalUiUrl: config.temporal.uiUrl, namespace: config.temporal.namespace },
    alertIntervalMs: config.lifecycle.alertIntervalMs,
    autoDisableAfterMs: config.lifecycle.autoDisableAfterMs,
    eventRetentionMs: config.lifecycle.eventRetentionMs,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
    // Attempts wait on receivers, not on CPU: many can be in flight at once.
    maxConcurrentActivityTaskExecutions: 200,
    maxCachedWorkflows: config.maxCachedWorkflows,
    shutdownGraceTime: '30s',
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    run() {
      running ??= worker.run().finally(async () => {
        mailer.close();
        await sender.close();
        await clientConnection.close();
        await connection.close();
      });
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
