import type { Logger } from 'pino';
import type { EndpointRepository } from '../db/endpoint-repository';

export interface DeliveryFailedInput {
  deliveryId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  lastAttemptNumber: number;
  workflowRunId: string;
}

/** What follows exhaustion: the endpoint turns `failing` (it stays active and keeps receiving). */
export function createRecordDeliveryFailed(deps: { endpoints: EndpointRepository; logger: Logger }) {
  return async function recordDeliveryFailed(input: DeliveryFailedInput): Promise<void> {
    await deps.endpoints.markFailing(input.endpointId);
    deps.logger.warn({ ...input }, 'delivery failed: retry schedule exhausted');
  };
}
