import type { Logger } from 'pino';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { EventRepository } from '../db/event-repository';
import type { DeliveryStarter } from '../temporal/delivery-starter';
import type { EndpointDisabledNotifier } from './endpoint-disabled';

/** Outbox rows older than this whose workflow start was never confirmed are started again. */
const STRANDED_AFTER_MS = 30_000;
const SWEEP_BATCH = 500;
/** A 410's own notifier (the delivery-failed workflow) gets this long before the sweep takes its notice over. */
const NOTICE_GRACE_MS = 60_000;

export interface MaintenanceDeps {
  endpoints: EndpointRepository;
  events: EventRepository;
  deliveries: DeliveryRepository;
  starter: DeliveryStarter;
  notifyEndpointDisabled: EndpointDisabledNotifier;
  logger: Logger;
  autoDisableAfterMs: number;
  eventRetentionMs: number;
}

/** The periodic checks the maintenance schedule runs (never timers inside a web process). */
export function createMaintenance(deps: MaintenanceDeps) {
  /** Notifies each disable on its own: one endpoint's failing mail must not hold back the others. */
  async function notifyEach(endpointIds: string[]): Promise<void> {
    for (const id of endpointIds) {
      try {
        await deps.notifyEndpointDisabled(id);
      } catch (err) {
        // The disable stays recorded as not notified; the next run tries again.
        deps.logger.warn({ err, endpointId: id }, 'endpoint disabled, but its owner could not be told yet; retrying on the next run');
      }
    }
  }

  return {
    /**
     * Auto-disable: endpoints failing without a break for the configured period (0 = never).
     * Each disable is recorded before anyone is told, so a failing mail is retried (here, on the
     * next run) instead of lost; disables whose notice is still owed are finished here too.
     */
    async disableLongFailingEndpoints(): Promise<string[]> {
      const disabled: string[] = [];
      if (deps.autoDisableAfterMs > 0) {
        for (const endpoint of await deps.endpoints.listFailingLongerThan(deps.autoDisableAfterMs)) {
          if (await deps.endpoints.disableIfActive(endpoint.id, 'failing')) disabled.push(endpoint.id);
        }
      }
      await notifyEach(disabled);
      await notifyEach((await deps.endpoints.listUnnotifiedDisables(NOTICE_GRACE_MS, SWEEP_BATCH)).filter((id) => !disabled.includes(id)));
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
