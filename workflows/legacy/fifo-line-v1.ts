// FROZEN with delivery-v1.ts: the FIFO line as v1 runs wait in it, on remote activities.
import { condition, getExternalWorkflowHandle, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activity-types';
import { fifoTurnSignal } from '../delivery-definitions';

const { isFifoHead, leaveFifoLine } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** A lost wake-up (a crash between leaving the line and signalling) costs at most this long. */
const RECHECK_INTERVAL = '1m';

/**
 * Waits until this delivery heads its endpoint's FIFO line (the oldest delivery there that has
 * not ended). Returns false when `stop()` turns true first (the delivery was cancelled).
 */
export async function waitForTurn(deliveryId: string, endpointId: string, stop: () => boolean): Promise<boolean> {
  let woken = false;
  setHandler(fifoTurnSignal, () => void (woken = true));
  for (;;) {
    if (stop()) return false;
    if (await isFifoHead({ deliveryId, endpointId })) return true;
    await condition(() => woken || stop(), RECHECK_INTERVAL);
    woken = false;
  }
}

/** Leaves the line and wakes the delivery that heads it now. */
export async function passTurn(deliveryId: string, endpointId: string): Promise<void> {
  const next = await leaveFifoLine({ deliveryId, endpointId });
  if (next === null) return;
  try {
    await getExternalWorkflowHandle(next).signal(fifoTurnSignal);
  } catch {
    // Not running (yet): it checks whether it heads the line itself when it starts.
  }
}
