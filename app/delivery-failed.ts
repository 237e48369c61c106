import type { Logger } from 'pino';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { TenantRepository } from '../db/tenant-repository';
import { SYSTEM_EVENT_TYPES } from '../domain/subscriptions';
import type { Mailer } from '../outbound/mailer';
import type { DeliveryFailedInput } from '../workflows/delivery-types';
import { deliveryFailedMail, type AlertLinks } from './alert-mails';
import type { EventPublisher } from './publish-event';

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
 * What follows a failed delivery, each step on its own so that each is retried on its own: the
 * endpoint turns `failing` (it stays active; part of the outcome), then, without holding the
 * delivery, the owner gets a rate-limited alert mail and a `webhook.failed` system event goes to
 * the tenant's endpoints that subscribe to it by name.
 */
export function createDeliveryFailedSteps(deps: DeliveryFailedDeps) {
  return {
    async markEndpointFailing(input: Pick<DeliveryFailedInput, 'endpointId'>): Promise<void> {
      await deps.endpoints.markFailing(input.endpointId);
    },

    async sendFailureAlert(input: DeliveryFailedInput): Promise<boolean> {
      const [endpoint, tenant] = await Promise.all([deps.endpoints.get(input.endpointId), deps.tenants.get(input.tenantId)]);
      if (!endpoint || !tenant) return false;
      if (!(await deps.endpoints.claimAlertSlot(endpoint.id, deps.alertIntervalMs))) return false;
      const lastAttempt = (await deps.deliveries.attempts(input.deliveryId)).at(-1);
      try {
        await deps.mailer.send(deliveryFailedMail(tenant.alertEmail, endpoint, input.deliveryId, lastAttempt, deps.links));
      } catch (err) {
        // Unsent: free the slot so this step's retry (or the next failure) can alert.
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
          reason: input.reason ?? 'retries exhausted',
          attempts: attempts.length,
          last_error: last ? { code: last.error?.code ?? null, message: last.error?.message ?? null, status: last.response?.status ?? null } : null,
        },
        metadata: { source: 'herald' },
        // A retried step (or a replayed workflow) must not raise the same event twice.
        idempotencyKey: `herald:webhook.failed:${input.deliveryId}:${input.workflowRunId}`,
      });
      deps.logger.warn({ ...input }, 'delivery failed');
      return event.id;
    },
  };
}
