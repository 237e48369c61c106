import type { Logger } from 'pino';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { TenantRepository } from '../db/tenant-repository';
import { SYSTEM_EVENT_TYPES } from '../domain/subscriptions';
import type { EventPublisher } from '../services/event-publisher';
import type { Mailer } from '../services/mailer';
import { deliveriesEnded } from '../services/metrics';
import { deliveryFailedMail, type AlertLinks } from './alert-mails';

export interface DeliveryFailedInput {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  workflowRunId: string;
}

export interface DeliveryFailedDeps {
  endpoints: EndpointRepository;
  tenants: TenantRepository;
  deliveries: DeliveryRepository;
  mailer: Mailer;
  publishEvent: EventPublisher;
  logger: Logger;
  links: AlertLinks;
  alertIntervalMs: number;
}

/**
 * What follows exhaustion (SPEC §4), as three activities so that each is retried on its own:
 * the endpoint turns `failing` (it stays active), the owner gets a rate-limited alert mail, and
 * a `webhook.failed` system event goes to the tenant's endpoints that subscribe to it by name.
 */
export function createDeliveryFailedActivities(deps: DeliveryFailedDeps) {
  return {
    async markEndpointFailing(input: DeliveryFailedInput): Promise<void> {
      await deps.endpoints.markFailing(input.endpointId);
      deliveriesEnded.inc({ status: 'failed' });
      deps.logger.warn({ ...input }, 'delivery failed: retry schedule exhausted');
    },

    async sendFailureAlert(input: DeliveryFailedInput): Promise<boolean> {
      const [endpoint, tenant] = await Promise.all([deps.endpoints.get(input.endpointId), deps.tenants.get(input.tenantId)]);
      if (!endpoint || !tenant) return false;
      if (!(await deps.endpoints.claimAlertSlot(endpoint.id, deps.alertIntervalMs))) return false;
      const lastAttempt = (await deps.deliveries.attempts(input.deliveryId)).at(-1);
      try {
        await deps.mailer.send(deliveryFailedMail(tenant.alertEmail, endpoint, input.deliveryId, lastAttempt, deps.links));
      } catch (err) {
        // Unsent: free the slot so this activity's retry (or the next failure) can alert.
        await deps.endpoints.releaseAlertSlot(endpoint.id);
        throw err;
      }
      return true;
    },

    async publishWebhookFailed(input: DeliveryFailedInput): Promise<string | null> {
      // A failed delivery of a system event never raises another: no feedback loops.
      if (SYSTEM_EVENT_TYPES.includes(input.eventType)) return null;
      const [endpoint, attempts] = await Promise.all([deps.endpoints.get(input.endpointId), deps.deliveries.attempts(input.deliveryId)]);
      const last = attempts.at(-1);
      const { event } = await deps.publishEvent.publish({
        tenantId: input.tenantId,
        type: 'webhook.failed',
        occurredAt: new Date(),
        data: {
          delivery_id: input.deliveryId,
          event_id: input.eventId,
          event_type: input.eventType,
          endpoint_id: input.endpointId,
          endpoint_url: endpoint?.url ?? null,
          attempts: attempts.length,
          last_error: last ? { code: last.error?.code ?? null, message: last.error?.message ?? null, status: last.response?.status ?? null } : null,
        },
        metadata: { source: 'herald' },
        // A retried activity (or a replayed workflow) must not raise the same event twice.
        idempotencyKey: `herald:webhook.failed:${input.deliveryId}:${input.workflowRunId}`,
      });
      return event.id;
    },
  };
}
