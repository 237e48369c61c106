import type { Logger } from 'pino';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { EventRepository } from '../db/event-repository';
import type { TenantRepository } from '../db/tenant-repository';
import type { EventPublisher } from '../services/event-publisher';
import type { Mailer } from '../services/mailer';
import type { DeliveryStarter } from '../temporal/delivery-starter';
import { endpointDisabledMail, type AlertLinks } from './alert-mails';

/** Outbox rows older than this whose workflow start was never confirmed are started again. */
const STRANDED_AFTER_MS = 30_000;
const SWEEP_BATCH = 500;

export interface MaintenanceDeps {
  endpoints: EndpointRepository;
  events: EventRepository;
  deliveries: DeliveryRepository;
  tenants: TenantRepository;
  starter: DeliveryStarter;
  mailer: Mailer;
  publishEvent: EventPublisher;
  logger: Logger;
  links: AlertLinks;
  autoDisableAfterMs: number;
  eventRetentionMs: number;
}

/** The periodic checks the maintenance schedule runs (never timers inside a web process). */
export function createMaintenanceActivities(deps: MaintenanceDeps) {
  return {
    /** SPEC §4 auto-disable: failing without a break for the configured period (0 = never). */
    async disableLongFailingEndpoints(): Promise<string[]> {
      if (deps.autoDisableAfterMs === 0) return [];
      const disabled: string[] = [];
      for (const endpoint of await deps.endpoints.listFailingLongerThan(deps.autoDisableAfterMs)) {
        const updated = await deps.endpoints.disableIfActive(endpoint.id, 'failing');
        if (!updated) continue;
        disabled.push(endpoint.id);
        const tenant = await deps.tenants.get(endpoint.tenantId);
        if (tenant) await deps.mailer.send(endpointDisabledMail(tenant.alertEmail, endpoint, deps.autoDisableAfterMs, deps.links));
        await deps.publishEvent.publish({
          tenantId: endpoint.tenantId,
          type: 'endpoint.disabled',
          occurredAt: new Date(),
          data: { endpoint_id: endpoint.id, endpoint_url: endpoint.url, reason: 'failing' },
          metadata: { source: 'herald' },
          idempotencyKey: `herald:endpoint.disabled:${endpoint.id}:${updated.updatedAt.toISOString()}`,
        });
        deps.logger.warn({ endpointId: endpoint.id }, 'endpoint disabled: failing continuously');
      }
      return disabled;
    },

    /** Events (and, by cascade, their deliveries and attempt logs) past the retention period. */
    async deleteExpiredEvents(): Promise<number> {
      return deps.events.deleteOlderThan(deps.eventRetentionMs);
    },

    /** Starts deliveries whose workflow start was lost (the API died between commit and start). */
    async startStrandedDeliveries(): Promise<number> {
      const stranded = await deps.deliveries.listNotStarted(STRANDED_AFTER_MS, SWEEP_BATCH);
      await deps.starter.start(stranded);
      return stranded.length;
    },
  };
}
