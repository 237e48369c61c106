import { z } from 'zod';
import { durationSchema } from '../../domain/durations';

const name = z.string().trim().min(1).max(200);
const alertEmail = z.string().email().max(320);

export const createTenantSchema = z.object({ name, alert_email: alertEmail }).strict();

export const patchTenantSchema = z.object({ name: name.optional(), alert_email: alertEmail.optional() }).strict();

/** A key takes no settings yet; the body may be absent or `{}`. */
export const createApiKeySchema = z.object({}).strict();

/** A portal link lives 1 h unless told otherwise, and never more than a day. */
export const portalLinkSchema = z.object({ ttl: durationSchema({ min: 60_000, max: 86_400_000 }).default('1h') }).strict();
