export { deliveryWorkflow } from './delivery';
export { deliveryFailedWorkflow } from './delivery-failed';
export { maintenanceWorkflow } from './maintenance';
