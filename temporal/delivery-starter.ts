import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DeliveryRepository } from '../db/delivery-repository';
import type { DeliveryRef } from '../domain/delivery';
import { retryNowSignal } from '../workflows/delivery-definitions';
import type { DeliveryInput } from '../workflows/delivery-types';
import { createStartConfirmations } from './start-confirmations';
import { endpointIdKey, eventIdKey, eventTypeKey, statusKey, tenantIdKey } from '../workflows/search-attributes';

/** New deliveries start on version 2; a run of version 1 (`deliveryWorkflow`) still takes signals. */
const WORKFLOW_TYPE = 'deliveryWorkflowV2';

function searchAttributes(ref: DeliveryRef) {
  return [
    { key: tenantIdKey, value: ref.tenantId },
    { key: endpointIdKey, value: ref.endpointId },
    { key: eventIdKey, value: ref.eventId },
    { key: eventTypeKey, value: ref.eventType },
    { key: statusKey, value: 'pending' },
  ];
}

export interface StarterOptions {
  /** A worker on the task queue runs in this process: ask for the first workflow task back. */
  eagerStart: boolean;
  stallAfterMs: number;
  onError: (err: unknown) => void;
}

/** Starts delivery workflows; the workflow id is the delivery id, so starting twice is harmless. */
export function createDeliveryStarter(client: Client, taskQueue: string, deliveries: DeliveryRepository, opts: StarterOptions) {
  const confirmations = createStartConfirmations((ids) => deliveries.markStarted(ids), opts.onError);
  const inputFor = (ref: DeliveryRef, firstAttemptNumber: number, firstTrigger: DeliveryInput['firstTrigger'], ordered: boolean): DeliveryInput => ({
    deliveryId: ref.id,
    eventId: ref.eventId,
    endpointId: ref.endpointId,
    tenantId: ref.tenantId,
    eventType: ref.eventType,
    firstAttemptNumber,
    firstTrigger,
    ordered,
    stallAfterMs: opts.stallAfterMs,
  });

  async function startOne(ref: DeliveryRef): Promise<void> {
    try {
      await client.workflow.start(WORKFLOW_TYPE, {
        workflowId: ref.id,
        taskQueue,
        args: [inputFor(ref, 1, 'scheduled', ref.ordered)],
        // Running: keep it. Ended: never run a published delivery again; that is what retry is for.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: searchAttributes(ref),
        // With a worker in this process the first workflow task comes back in the start response.
        requestEagerStart: opts.eagerStart,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  return {
    /** Writes the start confirmations still pending (before the pool closes). */
    drain: () => confirmations.drain(),

    /** Starts the workflows of freshly stored deliveries and clears them from the outbox. */
    async start(refs: DeliveryRef[]): Promise<void> {
      await Promise.all(refs.map(startOne));
      confirmations.confirm(refs.map((r) => r.id));
    },

    /**
     * Manual retry. A delivery waiting for its next attempt is signalled to attempt now; an ended
     * one runs again as a new run of the same workflow id, its attempt numbers following on.
     * signalWithStart does both atomically, so a delivery ending meanwhile is not missed.
     */
    async retryNow(ref: DeliveryRef): Promise<void> {
      const nextNumber = (await deliveries.lastAttemptNumber(ref.id)) + 1;
      await client.workflow.signalWithStart(WORKFLOW_TYPE, {
        workflowId: ref.id,
        taskQueue,
        // A manual rerun of an ended delivery is not held in the FIFO line again: it was asked for now.
        args: [inputFor(ref, nextNumber, 'manual', false)],
        signal: retryNowSignal,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: searchAttributes(ref),
      });
    },
  };
}

export type DeliveryStarter = ReturnType<typeof createDeliveryStarter>;
