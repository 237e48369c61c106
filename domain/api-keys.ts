import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'hrd_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 43 base62 characters carry 256 bits of randomness.
const RANDOM_CHARS = 43;
// What listings show of a key so a person can tell keys apart: the prefix and 8 characters.
const VISIBLE_CHARS = KEY_PREFIX.length + 8;
const TENANT_KEY = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS}}$`);

/** A new tenant API key: `hrd_` and 43 random base62 characters. */
export function generateApiKey(): string {
  let out = '';
  while (out.length < RANDOM_CHARS) {
    for (const byte of randomBytes(RANDOM_CHARS)) {
      // 248 = 4 × 62: dropping the bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < RANDOM_CHARS) out += BASE62[byte % 62];
    }
  }
  return KEY_PREFIX + out;
}

/** Whether a bearer token has the shape of a tenant key, so others never reach the database. */
export const isTenantKeyShaped = (key: string): boolean => TENANT_KEY.test(key);

/** The digest stored in place of a key and looked up on each request. */
export const apiKeyDigest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** The start of a key, safe to show again in listings. */
export const visiblePrefix = (key: string): string => key.slice(0, VISIBLE_CHARS);
