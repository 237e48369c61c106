import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Comparing fixed-length digests in constant time leaks neither the token nor its length. */
export function matchesDigest(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(tokenDigest(given), expectedDigest);
}
