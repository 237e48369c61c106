export { deliveryWorkflow } from './delivery';
export { maintenanceWorkflow } from './maintenance';
