import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createHttpSender } from '../activities/http-sender';
import type { Config } from '../config/config';
import { createApiKeyRepository } from '../db/api-key-repository';
import { createDeliveryRepository } from '../db/delivery-repository';
import { createEndpointRepository } from '../db/endpoint-repository';
import { createEventRepository } from '../db/event-repository';
import { createEventTypeRepository } from '../db/event-type-repository';
import { createPortalKeyRepository } from '../db/portal-key-repository';
import { createTenantRepository } from '../db/tenant-repository';
import { createSecretBox } from '../domain/encryption';
import { USER_AGENT } from '../domain/version';
import { createDeliveryReader } from '../temporal/delivery-reader';
import { createEventPublisher } from '../services/event-publisher';
import { createDeliveryStarter } from '../temporal/delivery-starter';
import type { AppDeps } from './deps';

/** Connects to Temporal and wires repositories and services for the API; close() undoes it. */
export async function buildAppDeps(config: Config, logger: Logger, pool: Pool): Promise<AppDeps & { close(): Promise<void> }> {
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const deliveries = createDeliveryRepository(pool);
  const secretBox = createSecretBox(config.encryptionKey);
  const endpoints = createEndpointRepository(pool, secretBox);
  const events = createEventRepository(pool);
  const starter = createDeliveryStarter(temporal, config.temporal.taskQueue, deliveries);
  const sender = createHttpSender({ ...config.urlPolicy, userAgent: USER_AGENT });
  return {
    config,
    logger,
    pool,
    temporal,
    sender,
    tenants: createTenantRepository(pool),
    eventTypes: createEventTypeRepository(pool),
    apiKeys: createApiKeyRepository(pool),
    portalKey: createPortalKeyRepository(pool, secretBox),
    endpoints,
    events,
    deliveries,
    starter,
    reader: createDeliveryReader(temporal, config.temporal.namespace, config.encryptionKey),
    publishEvent: createEventPublisher({ endpoints, events, starter, logger }),
    async close() {
      await sender.close();
      await connection.close();
    },
  };
}
