import { proxySinks } from '@temporalio/workflow';
import type { DeliveryInput, DeliveryState } from '../delivery-types';
import type { HeraldSinks } from '../sinks';
import { deliveryWorkflowV1 } from './delivery-v1';

const { metrics } = proxySinks<HeraldSinks>();

/** Workflow type `deliveryWorkflow`: version 1, kept for the runs begun on it. */
export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryState> {
  const state = await deliveryWorkflowV1(input);
  // A sink call writes nothing to history: counting here changes no command of the frozen code.
  metrics.deliveryEnded(state.status);
  return state;
}
