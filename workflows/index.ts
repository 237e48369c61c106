export { deliveryWorkflowV2 } from './delivery';
export { deliveryFailedWorkflow } from './delivery-failed';
export { deliveryWorkflow } from './legacy/delivery-workflow';
export { maintenanceWorkflow } from './maintenance';
