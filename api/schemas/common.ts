import { z } from 'zod';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE } from '../../domain/names';

export const idOf = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be a ${prefix}_… id`);
export const deliveryIdSchema = z.string().regex(/^dlv_[0-9A-Z]{26}_[0-9A-Z]{26}$/, 'must be a dlv_… id');

/** Event type names (and groups): `design.exported`, `build-status-changed`, `Task.Completed`. */
export const eventTypeName = z.string().regex(EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE);

/**
 * An RFC 3339 time with an offset. zod checks the shape only, so `+25:00` would pass and then
 * fail as an Invalid Date; this also checks that it names a real instant.
 */
export const timestampSchema = z
  .string()
  .datetime({ offset: true })
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a valid time (an offset is at most ±23:59)');

/** A page of a list: at most 100 items (README, "API"). */
export const limitSchema = z.coerce.number().int().min(1).max(100).default(20);

export const listQuery = z.object({ limit: limitSchema, cursor: z.string().max(2048).optional() });

/** Lists of tenant-owned objects: the admin may narrow them to one tenant. */
export const tenantListQuery = listQuery.extend({ tenant_id: idOf('tnt').optional() });

export const metadataSchema = z.record(z.unknown());
