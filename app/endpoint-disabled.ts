import type { Logger } from 'pino';
import type { EndpointRepository } from '../db/endpoint-repository';
import type { TenantRepository } from '../db/tenant-repository';
import type { Mailer } from '../outbound/mailer';
import { endpointDisabledMail, type AlertLinks } from './alert-mails';
import type { EventPublisher } from './publish-event';

export interface EndpointDisabledDeps {
  endpoints: EndpointRepository;
  tenants: TenantRepository;
  mailer: Mailer;
  publishEvent: EventPublisher;
  logger: Logger;
  links: AlertLinks;
}

/**
 * Tells an owner that Herald disabled their endpoint: a mail, and an `endpoint.disabled` system
 * event to the tenant's endpoints that subscribe to it. Safe to run again until it succeeds: the
 * event's idempotency key is the disable itself, so it is raised exactly once per disable, and the
 * disable is marked notified only after both went out.
 */
export function createEndpointDisabledNotifier(deps: EndpointDisabledDeps) {
  return async function notifyEndpointDisabled(endpointId: string): Promise<boolean> {
    const pending = await deps.endpoints.pendingDisableNotice(endpointId);
    if (!pending) return false;
    const { endpoint, disabledAt, failingForMs } = pending;
    const reason = endpoint.disabledReason === 'gone' ? 'gone' : 'failing';
    await deps.publishEvent.publish({
      tenantId: endpoint.tenantId,
      type: 'endpoint.disabled',
      occurredAt: disabledAt,
      data: { endpoint_id: endpoint.id, endpoint_url: endpoint.url, reason, disabled_at: disabledAt.toISOString() },
      metadata: { source: 'herald' },
      idempotencyKey: `herald:endpoint.disabled:${endpoint.id}:${disabledAt.toISOString()}`,
    });
    const tenant = await deps.tenants.get(endpoint.tenantId);
    if (tenant) {
      const why = reason === 'gone' ? { reason: 'gone' as const } : { reason: 'failing' as const, failingForMs };
      await deps.mailer.send(endpointDisabledMail(tenant.alertEmail, endpoint, why, deps.links));
    }
    await deps.endpoints.markDisableNotified(endpoint.id, disabledAt);
    deps.logger.warn({ endpointId: endpoint.id, reason }, 'endpoint disabled by Herald; owner notified');
    return true;
  };
}

export type EndpointDisabledNotifier = ReturnType<typeof createEndpointDisabledNotifier>;
