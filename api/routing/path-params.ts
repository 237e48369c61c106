import type { ZodTypeAny } from 'zod';
import { deliveryIdSchema, eventTypeName, idOf } from '../schemas/common';

/** What a `:param` names, by the collection segment in front of it (`/v1/tenants/:id` → a tenant id). */
const ID_OF_COLLECTION: Record<string, ZodTypeAny> = {
  tenants: idOf('tnt'),
  'api-keys': idOf('key'),
  endpoints: idOf('ep'),
  events: idOf('evt'),
  deliveries: deliveryIdSchema,
  'event-types': eventTypeName,
};

/**
 * The schema of each parameter of a route path. A parameter whose collection is unknown is a
 * programming error, refused when the route is declared rather than at request time.
 */
export function paramSchemas(path: string): Record<string, ZodTypeAny> {
  const segments = path.split('/');
  const schemas: Record<string, ZodTypeAny> = {};
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const schema = ID_OF_COLLECTION[segments[i - 1] ?? ''];
    if (!schema) throw new Error(`route ${path}: no id schema for parameter ${segment}`);
    schemas[segment.slice(1)] = schema;
  });
  return schemas;
}
