import { z } from 'zod';

const name = z.string().trim().min(1).max(200);
const alertEmail = z.string().email().max(320);

export const createTenantSchema = z.object({ name, alert_email: alertEmail }).strict();

export const patchTenantSchema = z.object({ name: name.optional(), alert_email: alertEmail.optional() }).strict();

/** A key takes no settings yet; the body may be absent or `{}`. */
export const createApiKeySchema = z.object({}).strict();
