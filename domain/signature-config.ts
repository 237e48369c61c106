import { z } from 'zod';
import { HEADER_NAME } from './names';

/**
 * Headers Herald sets itself on every request. A configured header may not take one of these
 * names, or an endpoint could overwrite (and so forge) Herald's own id, timestamp or signature.
 * Lowercase: HTTP header names compare case-insensitively.
 */
export const PROTECTED_HEADERS: readonly string[] = [
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'herald-delivery-id',
  'herald-event-type',
];


const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(HEADER_NAME, 'must be a valid HTTP header name')
  .refine((name) => !PROTECTED_HEADERS.includes(name.toLowerCase()), {
    message: 'is a header Herald sets itself',
  });

const standardWebhooks = z.object({ scheme: z.literal('standard-webhooks') }).strict();

/**
 * Standard Webhooks' asymmetric variant: `webhook-signature: v1a,<base64 Ed25519 signature>`.
 * Receivers verify with the endpoint's public key and never hold a secret that could sign.
 */
const standardWebhooksEd25519 = z.object({ scheme: z.literal('standard-webhooks-ed25519') }).strict();

const hmacSha256 = z
  .object({
    scheme: z.literal('hmac-sha256'),
    header: headerName.default('X-Signature'),
    prefix: z.string().max(32).regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces').default(''),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    event_header: headerName.optional(),
    timestamp_header: headerName.optional(),
    sign_timestamp: z.boolean().default(false),
  })
  .strict();

const stripe = z
  .object({
    scheme: z.literal('stripe'),
    header: headerName.default('Stripe-Signature'),
  })
  .strict();

/** An HS256 JWT whose claims carry the body's SHA-256 (Chromatic's signed webhooks). */
const jwtHs256 = z
  .object({
    scheme: z.literal('jwt-hs256'),
    header: headerName.default('X-Webhook-Signature'),
    issuer: z.string().min(1).max(100).default('herald'),
  })
  .strict();

type HmacSha256 = z.output<typeof hmacSha256>;

/** Cross-field rules of hmac-sha256, reported on the field a user has to change. */
function checkHmac(config: HmacSha256, ctx: z.RefinementCtx): void {
  if (config.sign_timestamp && config.timestamp_header === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['timestamp_header'],
      message: 'is required when sign_timestamp is true: the receiver needs the signed timestamp',
    });
  }
  // Two roles on one header name would overwrite each other on the wire.
  const seen = new Set([config.header.toLowerCase()]);
  for (const field of ['event_header', 'timestamp_header'] as const) {
    const name = config[field]?.toLowerCase();
    if (name === undefined) continue;
    if (seen.has(name)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: 'repeats another signature header' });
    }
    seen.add(name);
  }
}

/** An endpoint's signature settings (README, "Signing" and "API"). Absent means standard-webhooks. */
export const signatureConfigSchema = z
  .discriminatedUnion('scheme', [standardWebhooks, standardWebhooksEd25519, hmacSha256, stripe, jwtHs256])
  .superRefine((config, ctx) => {
    if (config.scheme === 'hmac-sha256') checkHmac(config, ctx);
  })
  .default({ scheme: 'standard-webhooks' });

export type SignatureConfig = z.output<typeof signatureConfigSchema>;
