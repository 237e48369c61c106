import type { Endpoint } from '../db/endpoint-repository';
import type { AttemptRecord } from '../db/delivery-repository';
import type { Mail } from '../services/mailer';

export interface AlertLinks {
  publicUrl: string;
  temporalUiUrl: string;
  namespace: string;
}

function lastErrorOf(attempt: AttemptRecord | undefined): string {
  if (!attempt) return 'unknown';
  if (attempt.error) return `${attempt.error.code}: ${attempt.error.message}`;
  return attempt.response ? `HTTP ${attempt.response.status}` : 'unknown';
}

/** The mail an owner gets when a delivery to their endpoint exhausts its retry schedule. */
export function deliveryFailedMail(to: string, endpoint: Endpoint, deliveryId: string, lastAttempt: AttemptRecord | undefined, links: AlertLinks): Mail {
  return {
    to,
    subject: `[Herald] Webhook endpoint failing: ${endpoint.url}`,
    text: [
      `A webhook delivery to your endpoint has failed after all its retries.`,
      '',
      `Endpoint:    ${endpoint.id}${endpoint.description ? ` (${endpoint.description})` : ''}`,
      `URL:         ${endpoint.url}`,
      `Last error:  ${lastErrorOf(lastAttempt)}`,
      `Attempts:    ${lastAttempt?.number ?? 0}`,
      `Delivery:    ${deliveryId}`,
      '',
      `Attempt log:  ${links.publicUrl}/v1/deliveries/${deliveryId}`,
      `Workflow:     ${links.temporalUiUrl}/namespaces/${encodeURIComponent(links.namespace)}/workflows/${encodeURIComponent(deliveryId)}`,
      `Failed deliveries of this endpoint: ${links.publicUrl}/v1/deliveries?status=failed&endpoint_id=${endpoint.id}`,
      '',
      `The endpoint stays active and keeps receiving new events. Once it works again, replay what it missed:`,
      `POST ${links.publicUrl}/v1/endpoints/${endpoint.id}/replay {"since": "...", "status": "failed"}`,
      '',
      `You get at most one such mail per endpoint per alert interval.`,
    ].join('\n'),
  };
}

/** The mail an owner gets when Herald disables an endpoint that kept failing. */
export function endpointDisabledMail(to: string, endpoint: Endpoint, failingForMs: number, links: AlertLinks): Mail {
  const days = (failingForMs / 86_400_000).toFixed(1);
  return {
    to,
    subject: `[Herald] Webhook endpoint disabled: ${endpoint.url}`,
    text: [
      `Your webhook endpoint has been failing continuously for ${days} days and has been disabled.`,
      '',
      `Endpoint:    ${endpoint.id}${endpoint.description ? ` (${endpoint.description})` : ''}`,
      `URL:         ${endpoint.url}`,
      `Reason:      failing`,
      '',
      `Events published while it is disabled are kept. After fixing the receiver:`,
      `POST ${links.publicUrl}/v1/endpoints/${endpoint.id}/enable`,
      `POST ${links.publicUrl}/v1/endpoints/${endpoint.id}/replay {"since": "...", "status": "not_delivered"}`,
    ].join('\n'),
  };
}
