import type { Endpoint } from '../domain/endpoint';
import type { AttemptRecord } from '../domain/delivery';
import type { Mail } from '../outbound/mailer';

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

/** How long, in words a person reads at a glance: "3 h 20 min", "5.2 days". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${Math.max(minutes, 1)} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${(ms / 86_400_000).toFixed(1)} days`;
}

/**
 * The mail an owner gets when Herald disables an endpoint: it kept failing (for how long it
 * actually failed, not the setting), or its receiver answered 410 Gone.
 */
export function endpointDisabledMail(to: string, endpoint: Endpoint, why: { reason: 'failing'; failingForMs: number | null } | { reason: 'gone' }, links: AlertLinks): Mail {
  const opening =
    why.reason === 'gone'
      ? 'Your webhook endpoint answered 410 Gone, which tells a sender to stop: Herald has disabled it.'
      : `Your webhook endpoint has been failing without a break${why.failingForMs === null ? '' : ` for ${describeDuration(why.failingForMs)}`} and Herald has disabled it.`;
  return {
    to,
    subject: `[Herald] Webhook endpoint disabled: ${endpoint.url}`,
    text: [
      opening,
      '',
      `Endpoint:    ${endpoint.id}${endpoint.description ? ` (${endpoint.description})` : ''}`,
      `URL:         ${endpoint.url}`,
      `Reason:      ${why.reason}`,
      '',
      `It receives no new events while disabled; events published meanwhile are kept. To resume:`,
      `POST ${links.publicUrl}/v1/endpoints/${endpoint.id}/enable`,
      `POST ${links.publicUrl}/v1/endpoints/${endpoint.id}/replay {"since": "...", "status": "not_delivered"}`,
    ].join('\n'),
  };
}
