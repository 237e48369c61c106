import { createHash, createHmac } from 'node:crypto';
import { ed25519KeyOf, ed25519Signature } from './ed25519-keys';
import { hmacKeyFor } from './secrets';
import type { SignatureConfig } from './signature-config';

export interface SigningInput {
  config: SignatureConfig;
  /** The current secret first, then the previous ones still within their grace period. */
  secrets: string[];
  deliveryId: string;
  eventType: string;
  /** Unix seconds of this attempt: every attempt is signed afresh. */
  timestamp: number;
  /** The exact bytes sent: any re-serialisation would break the signature. */
  body: string;
}

type Scheme = SignatureConfig['scheme'];
type Config<S extends Scheme> = Extract<SignatureConfig, { scheme: S }>;

function hmac(scheme: Scheme, secret: string, content: string): Buffer {
  return createHmac('sha256', hmacKeyFor(scheme, secret)).update(content, 'utf8').digest();
}

function standardWebhooks(input: SigningInput): Record<string, string> {
  const { deliveryId, timestamp, body } = input;
  const content = `${deliveryId}.${timestamp}.${body}`;
  // Standard Webhooks verifiers try each space-separated signature, so rotation sends them all.
  const signatures = input.secrets.map(
    (secret) => `v1,${hmac('standard-webhooks', secret, content).toString('base64')}`,
  );
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/** Standard Webhooks' asymmetric form: one `v1a` Ed25519 signature per key still valid. */
function standardWebhooksEd25519(input: SigningInput): Record<string, string> {
  const { deliveryId, timestamp, body } = input;
  const content = `${deliveryId}.${timestamp}.${body}`;
  const signatures = input.secrets.map((secret) => `v1a,${ed25519Signature(ed25519KeyOf(secret), content)}`);
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * One signature, with the current secret only, even during rotation. GitHub-style verifiers
 * (GitHub's, and the seeds' sample code) compare the whole header value with one digest, so a
 * list of signatures would fail verification for every receiver, including those already on the
 * new secret. A receiver still on the previous secret fails until it switches, and the retry
 * schedule redelivers meanwhile. Endpoints that need seamless rotation use standard-webhooks or
 * stripe, whose formats carry several signatures by design.
 */
function hmacSha256(config: Config<'hmac-sha256'>, input: SigningInput, current: string): Record<string, string> {
  const timestamp = String(input.timestamp);
  const content = config.sign_timestamp ? `${timestamp}.${input.body}` : input.body;
  const headers: Record<string, string> = {
    [config.header]: config.prefix + hmac('hmac-sha256', current, content).toString(config.encoding),
  };
  if (config.timestamp_header !== undefined) headers[config.timestamp_header] = timestamp;
  if (config.event_header !== undefined) headers[config.event_header] = input.eventType;
  return headers;
}

/** Stripe's own format: during rotation Stripe sends one v1= per active secret, as here. */
function stripe(config: Config<'stripe'>, input: SigningInput): Record<string, string> {
  const content = `${input.timestamp}.${input.body}`;
  const signatures = input.secrets.map((secret) => `v1=${hmac('stripe', secret, content).toString('hex')}`);
  return { [config.header]: [`t=${input.timestamp}`, ...signatures].join(',') };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * An HS256 JWT `{iss, iat, sha256: <hex SHA-256 of the body>}` keyed with the secret string, as
 * Chromatic's signed webhooks send it. One token, current secret only (like hmac-sha256).
 */
function jwtHs256(config: Config<'jwt-hs256'>, input: SigningInput, current: string): Record<string, string> {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ iss: config.issuer, iat: input.timestamp, sha256: createHash('sha256').update(input.body, 'utf8').digest('hex') }));
  const signature = base64url(hmac('jwt-hs256', current, `${header}.${claims}`));
  return { [config.header]: `${header}.${claims}.${signature}` };
}

/** The signature-related headers of one attempt (README, "Signing"). Pure: the caller supplies the time. */
export function signatureHeaders(input: SigningInput): Record<string, string> {
  const current = input.secrets[0];
  if (current === undefined) throw new Error('signing needs at least one secret');
  // A fractional timestamp would be signed as such, and no receiver parses it that way.
  if (!Number.isSafeInteger(input.timestamp)) throw new Error('timestamp must be whole unix seconds');
  const { config } = input;
  switch (config.scheme) {
    case 'standard-webhooks':
      return standardWebhooks(input);
    case 'standard-webhooks-ed25519':
      return standardWebhooksEd25519(input);
    case 'hmac-sha256':
      return hmacSha256(config, input, current);
    case 'stripe':
      return stripe(config, input);
    case 'jwt-hs256':
      return jwtHs256(config, input, current);
  }
}
