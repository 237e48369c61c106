import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { HttpSender } from '../activities/http-sender';
import type { Config } from '../config/config';
import type { ApiKeyRepository } from '../db/api-key-repository';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { EventRepository } from '../db/event-repository';
import type { EventTypeRepository } from '../db/event-type-repository';
import type { PortalKeyRepository } from '../db/portal-key-repository';
import type { TenantRepository } from '../db/tenant-repository';
import type { DeliveryReader } from '../temporal/delivery-reader';
import type { EventPublisher } from '../services/event-publisher';
import type { DeliveryStarter } from '../temporal/delivery-starter';

/** Everything the routes use, built once per process by api/server.ts (or a test). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  temporal: Client;
  sender: HttpSender;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  portalKey: PortalKeyRepository;
  eventTypes: EventTypeRepository;
  endpoints: EndpointRepository;
  events: EventRepository;
  deliveries: DeliveryRepository;
  starter: DeliveryStarter;
  reader: DeliveryReader;
  publishEvent: EventPublisher;
}
