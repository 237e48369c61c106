import type { DeliveryRepository } from '../db/delivery-repository';

export interface FifoTurn {
  deliveryId: string;
  endpointId: string;
}

/** The FIFO line of an endpoint lives in PostgreSQL, so every worker sees the same order. */
export function createFifoActivities(deps: { deliveries: DeliveryRepository }) {
  return {
    async isFifoHead(turn: FifoTurn): Promise<boolean> {
      return deps.deliveries.isFifoHead(turn.deliveryId, turn.endpointId);
    },
    async leaveFifoLine(turn: FifoTurn): Promise<string | null> {
      return deps.deliveries.leaveFifoLine(turn.deliveryId, turn.endpointId);
    },
  };
}
