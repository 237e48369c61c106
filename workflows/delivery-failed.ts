import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from './activity-types';
import type { DeliveryFailedInput } from './delivery-types';

// These wait for SMTP or Temporal to come back: retried with a bounded backoff for a day, while
// the delivery itself has long ended. A step that gives up shows here, in the Temporal UI.
const { sendFailureAlert, publishWebhookFailed, notifyEndpointDisabled } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/**
 * The side effects of a failed delivery, started by it and left to run on their own: the
 * `webhook.failed` event, and the owner's mail (for a 410, the endpoint-disabled notice with its
 * `endpoint.disabled` event instead). An outage of either delays only these.
 */
export async function deliveryFailedWorkflow(input: DeliveryFailedInput): Promise<void> {
  const results = await Promise.allSettled([
    publishWebhookFailed(input),
    input.reason === 'gone' ? notifyEndpointDisabled(input.endpointId) : sendFailureAlert(input),
  ]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
