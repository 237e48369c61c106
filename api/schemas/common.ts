import { z } from 'zod';

export const idOf = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be a ${prefix}_… id`);
export const deliveryIdSchema = z.string().regex(/^dlv_[0-9A-Z]{26}_[0-9A-Z]{26}$/, 'must be a dlv_… id');

/** Event type names: `design.exported`, `build-status-changed`, `Task.Completed`. */
export const eventTypeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be letters, digits, ".", "_", ":" or "-" (at most 128)');

/**
 * An RFC 3339 time with an offset. zod checks the shape only, so `+25:00` would pass and then
 * fail as an Invalid Date; this also checks that it names a real instant.
 */
export const timestampSchema = z
  .string()
  .datetime({ offset: true })
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a valid time (an offset is at most ±23:59)');

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

/** Lists of tenant-owned objects: the admin may narrow them to one tenant. */
export const tenantListQuery = listQuery.extend({ tenant_id: idOf('tnt').optional() });

export const metadataSchema = z.record(z.unknown());
