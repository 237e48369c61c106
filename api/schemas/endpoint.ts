import { z } from 'zod';
import { durationSchema } from '../../domain/durations';
import { retryPolicySchema } from '../../domain/retry-policy-schema';
import { parseGivenSecret } from '../../domain/secrets';
import { PROTECTED_HEADERS, signatureConfigSchema, type SignatureConfig } from '../../domain/signature-config';
import { filterSchema } from '../../domain/filters';
import { transformSchema } from '../../domain/transforms';
import { checkEndpointUrl, type UrlPolicy } from '../../domain/url-safety';
import { EVENT_TYPE_PATTERN, HEADER_NAME } from '../../domain/names';
import { eventTypeName, idOf, metadataSchema, timestampSchema } from './common';

/** Exact names, `group.*` wildcards and `*`. */
const eventTypePattern = z.string().regex(EVENT_TYPE_PATTERN, 'must be an event type name, "group.*" or "*"');

const headerValue = z.string().max(4096).regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must not contain control characters');
const headerName = z.string().min(1).max(100).regex(HEADER_NAME, 'must be a valid HTTP header name');

// Checked against the endpoint's signature scheme once both are known (see secretFault).
const secretSchema = z.string().max(512);

/** Why a given secret cannot sign for this scheme (README, "Signing"), or undefined when it can. */
export function secretFault(signature: SignatureConfig, secret: string): string | undefined {
  const parsed = parseGivenSecret(secret, signature.scheme);
  return parsed.ok ? undefined : parsed.message;
}

/** Header names the endpoint's own signature settings use: custom headers may not override them. */
function signatureHeaderNames(signature: SignatureConfig): string[] {
  // Standard Webhooks (either variant) uses Herald's own webhook-* headers, protected anyway.
  if (!('header' in signature)) return [];
  const names = [signature.header];
  if (signature.scheme === 'hmac-sha256') {
    if (signature.event_header) names.push(signature.event_header);
    if (signature.timestamp_header) names.push(signature.timestamp_header);
  }
  return names.map((n) => n.toLowerCase());
}

/** Custom headers that would override a header Herald sets itself, as faults at their paths. */
export function customHeaderFaults(headers: Record<string, string>, signature: SignatureConfig): { path: string; message: string }[] {
  const taken = new Set([...PROTECTED_HEADERS, ...signatureHeaderNames(signature)]);
  return Object.keys(headers)
    .filter((name) => taken.has(name.toLowerCase()))
    .map((name) => ({ path: `headers.${name}`, message: 'is a header Herald sets itself (signature, id, timestamp, event or content type)' }));
}

/** Fields shared by create and patch; the URL check depends on the deployment's SSRF setting. */
function endpointFields(opts: UrlPolicy) {
  return {
    url: z.string().superRefine((url, ctx) => {
      const check = checkEndpointUrl(url, opts);
      if (!check.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: check.reason });
    }),
    description: z.string().max(1000),
    event_types: z.array(eventTypePattern).min(1).max(100),
    retry: retryPolicySchema,
    timeout: durationSchema({ min: 1_000, max: 60_000 }),
    signature: signatureConfigSchema,
    headers: z.record(headerName, headerValue).refine((h) => Object.keys(h).length <= 20, 'at most 20 headers'),
    metadata: metadataSchema,
    rate_limit: z
      .object({ max: z.number().int().min(1).max(100_000), per: durationSchema({ min: 1_000, max: 86_400_000 }) })
      .strict()
      .transform((r) => ({ max: r.max, perMs: r.per })),
    ordering: z.enum(['none', 'fifo']),
    filter: filterSchema,
    transform: transformSchema,
  };
}

export function createEndpointSchema(opts: UrlPolicy) {
  const f = endpointFields(opts);
  return z
    .object({
      tenant_id: idOf('tnt').optional(),
      url: f.url,
      description: f.description.default(''),
      event_types: f.event_types,
      retry: f.retry.default({ preset: 'default' }),
      timeout: f.timeout.default(30_000),
      signature: f.signature.default({ scheme: 'standard-webhooks' }),
      secret: secretSchema.optional(),
      headers: f.headers.default({}),
      rate_limit: f.rate_limit.nullable().default(null),
      ordering: f.ordering.default('none'),
      filter: f.filter.nullable().default(null),
      transform: f.transform.nullable().default(null),
      verify: z.boolean().default(true),
      metadata: f.metadata.default({}),
    })
    .strict()
    .superRefine((e, ctx) => {
      const fault = e.secret === undefined ? undefined : secretFault(e.signature, e.secret);
      if (fault) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['secret'], message: fault });
      for (const fault of customHeaderFaults(e.headers, e.signature)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: fault.path.split('.'), message: fault.message });
      }
    });
}

export function patchEndpointSchema(opts: UrlPolicy) {
  const f = endpointFields(opts);
  return z
    .object({
      url: f.url.optional(),
      description: f.description.optional(),
      event_types: f.event_types.optional(),
      retry: f.retry.optional(),
      timeout: f.timeout.optional(),
      signature: f.signature.optional(),
      headers: f.headers.optional(),
      rate_limit: f.rate_limit.nullable().optional(),
      ordering: f.ordering.optional(),
      filter: f.filter.nullable().optional(),
      transform: f.transform.nullable().optional(),
      metadata: f.metadata.optional(),
    })
    .strict();
}

const DAY = 86_400_000;

export const rotateSecretSchema = z
  .object({
    grace_period: durationSchema({ min: 0, max: 7 * DAY }).default('24h'),
    secret: secretSchema.optional(),
  })
  .strict();

/** `GET /v1/public-keys`: a tenant key lists its own tenant's keys; the admin names the tenant. */
export const publicKeysQuery = z.object({ tenant_id: idOf('tnt').optional() }).strict();

export const testEventSchema = z
  .object({
    event_type: eventTypeName.optional(),
    data: z.unknown().optional(),
  })
  .strict();

export const replaySchema = z
  .object({
    since: timestampSchema,
    until: timestampSchema.optional(),
    status: z.enum(['all', 'failed', 'not_delivered']).default('all'),
  })
  .strict()
  .refine((r) => r.until === undefined || Date.parse(r.until) > Date.parse(r.since), { path: ['until'], message: 'must be after since' });
