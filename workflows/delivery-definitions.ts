import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DeliveryState } from './delivery-types';

/** Attempt now instead of waiting for the next scheduled attempt. */
export const retryNowSignal = defineSignal('retryNow');
/** No more attempts: the delivery ends `cancelled`. */
export const cancelSignal = defineSignal('cancel');
/** Sent by the delivery ahead in its endpoint's FIFO line when it ends. */
export const fifoTurnSignal = defineSignal('fifoTurn');
/** The delivery's live state: status, next attempt time and this run's attempts. */
export const stateQuery = defineQuery<DeliveryState>('state');
