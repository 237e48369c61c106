import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

// Standard Webhooks' asymmetric key prefixes: a secret (private) key and a public key.
const SECRET_PREFIX = 'whsk_';
const PUBLIC_PREFIX = 'whpk_';
// An Ed25519 private key's PKCS#8 DER is this fixed header followed by the 32-byte seed.
const PKCS8_SEED_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_BYTES = 32;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type Ed25519Secret = { ok: true; secret: string } | { ok: false; message: string };

/** A new signing key: `whsk_` + base64 of a random 32-byte Ed25519 seed. */
export function generateEd25519Secret(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  return SECRET_PREFIX + seed.toString('base64');
}

function privateKeyOf(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_HEADER, seed]), format: 'der', type: 'pkcs8' });
}

const rawPublicKey = (key: KeyObject): Buffer => Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');

/**
 * Accepts a signing key a user brings: `whsk_` + base64 of the 32-byte seed, or of 64 bytes
 * (seed then public key, as libsodium keeps it; the public half must match the seed).
 */
export function parseEd25519Secret(s: string): Ed25519Secret {
  const fault = { ok: false as const, message: 'must be whsk_ followed by base64 of a 32-byte Ed25519 seed (or of 64 bytes: seed then public key)' };
  if (!s.startsWith(SECRET_PREFIX)) return fault;
  const encoded = s.slice(SECRET_PREFIX.length);
  if (!STRICT_BASE64.test(encoded)) return fault;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== SEED_BYTES && bytes.length !== 2 * SEED_BYTES) return fault;
  if (bytes.length === 2 * SEED_BYTES && !rawPublicKey(privateKeyOf(bytes.subarray(0, SEED_BYTES))).equals(bytes.subarray(SEED_BYTES))) {
    return { ok: false, message: 'the public half of this 64-byte key does not belong to its seed' };
  }
  return { ok: true, secret: s };
}

/** The private key of a stored `whsk_` secret; throws when it is not one. */
export function ed25519KeyOf(secret: string): KeyObject {
  if (!parseEd25519Secret(secret).ok) throw new Error('not an Ed25519 signing key (whsk_…)');
  return privateKeyOf(Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64').subarray(0, SEED_BYTES));
}

/** The Standard Webhooks `v1a` signature of `content`, base64. */
export const ed25519Signature = (key: KeyObject, content: string): string => sign(null, Buffer.from(content, 'utf8'), key).toString('base64');

/** What a receiver verifies with: `whpk_` + base64 of the raw 32-byte public key. */
export function publicKeyOf(secret: string): string {
  return PUBLIC_PREFIX + rawPublicKey(ed25519KeyOf(secret)).toString('base64');
}

/** The public key as a JWK (RFC 8037), with its RFC 7638 thumbprint as `kid`. */
export function publicJwkOf(secret: string): { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' } {
  const x = rawPublicKey(ed25519KeyOf(secret)).toString('base64url');
  // RFC 7638: the required members, in lexicographic order, without whitespace.
  const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
}
