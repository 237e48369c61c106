import { randomBytes } from 'node:crypto';
import { generateEd25519Secret, parseEd25519Secret } from './ed25519-keys';
import type { SignatureConfig } from './signature-config';

type Scheme = SignatureConfig['scheme'];

/** Ed25519 endpoints hold a signing key pair; every other scheme an HMAC secret. */
export const isAsymmetric = (scheme: Scheme): boolean => scheme === 'standard-webhooks-ed25519';

const WHSEC = 'whsec_';
const MIN_BYTES = 24;
const MAX_BYTES = 64;

// RFC 2045 base64: standard alphabet, padded to a multiple of 4.
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UNPADDED_BASE64 = /^[A-Za-z0-9+/]*$/;
// A 64-character key such as the design tool's "64-character HMAC key" (hex is a subset).
const KEY_64 = /^[A-Za-z0-9_-]{64}$/;

export type GivenSecret = { ok: true; secret: string } | { ok: false; message: string };

/**
 * A new secret for a scheme: an Ed25519 signing key (`whsk_`), or else a Standard Webhooks
 * secret of 32 random bytes (the middle of the spec's 24–64), which every HMAC scheme can use.
 */
export function generateSecret(scheme: Scheme = 'standard-webhooks'): string {
  if (isAsymmetric(scheme)) return generateEd25519Secret();
  return WHSEC + randomBytes(32).toString('base64');
}

// What the standardwebhooks library (@stablelib/base64) decodes: the standard alphabet, padding
// optional. Node's decoder alone would not do: it silently skips characters it does not know.
function isBase64(s: string): boolean {
  return PADDED_BASE64.test(s) || (UNPADDED_BASE64.test(s) && s.length % 4 !== 1);
}

function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

function inRange(bytes: number): boolean {
  return bytes >= MIN_BYTES && bytes <= MAX_BYTES;
}

// hmac-sha256 and stripe sign with the string's own bytes, so any printable secret a platform's
// customers already hold (e.g. a passphrase they chose) must be importable as it is.
const PRINTABLE_SECRET = /^[\x21-\x7e]{8,256}$/;

/**
 * Accepts a secret a user brings along (README, "Signing") and keeps it exactly as given: receivers
 * already hold that string. Standard Webhooks needs base64 key material; hmac-sha256 and stripe
 * take any printable string of 8–256 characters.
 */
export function parseGivenSecret(s: string, scheme: Scheme = 'standard-webhooks'): GivenSecret {
  if (isAsymmetric(scheme)) return parseEd25519Secret(s);
  if (scheme !== 'standard-webhooks') {
    return PRINTABLE_SECRET.test(s) ? { ok: true, secret: s } : { ok: false, message: 'must be 8–256 printable ASCII characters without spaces' };
  }
  if (s.startsWith(WHSEC)) {
    const rest = s.slice(WHSEC.length);
    if (isBase64(rest) && inRange(decodedLength(rest))) {
      return { ok: true, secret: s };
    }
    return { ok: false, message: `a whsec_ secret must be base64 of ${MIN_BYTES}–${MAX_BYTES} bytes` };
  }
  // A 64-character key must still decode as base64 for Standard Webhooks receivers.
  if (KEY_64.test(s) && isBase64(s)) return { ok: true, secret: s };
  if (PADDED_BASE64.test(s) && inRange(decodedLength(s))) return { ok: true, secret: s };
  return {
    ok: false,
    message: `must be whsec_<base64>, base64 (RFC 2045) of ${MIN_BYTES}–${MAX_BYTES} bytes, or a 64-character base64 key`,
  };
}

/**
 * The HMAC key bytes a scheme's receivers use (README, "Signing"). Standard Webhooks libraries
 * base64-decode what follows an optional whsec_; GitHub-style and Stripe verifiers feed the
 * secret string itself to HMAC.
 */
export function hmacKeyFor(scheme: Scheme, secret: string): Buffer {
  if (isAsymmetric(scheme)) throw new Error(`${scheme} signs with a key pair, not an HMAC secret`);
  if (scheme !== 'standard-webhooks') return Buffer.from(secret, 'utf8');
  const encoded = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
  // Fail where the library would, instead of signing with a key no receiver can derive.
  if (encoded.length === 0 || !isBase64(encoded)) {
    throw new Error('secret is not base64, so Standard Webhooks receivers cannot derive its key');
  }
  return Buffer.from(encoded, 'base64');
}

/** Whether a stored secret can sign for a scheme (a rotated-out one may predate a scheme change). */
export function canSignWith(scheme: Scheme, secret: string): boolean {
  if (isAsymmetric(scheme)) return parseEd25519Secret(secret).ok;
  try {
    hmacKeyFor(scheme, secret);
    return true;
  } catch {
    return false;
  }
}
