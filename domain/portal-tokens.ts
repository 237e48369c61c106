import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'hpt_';
const MAC_BYTES = 32;

export interface PortalClaims {
  tenantId: string;
  expiresAt: Date;
}

/**
 * A customer-portal token: `hpt_` + base64url of `{t, exp}` + `.` + an HMAC-SHA256 of that under
 * the portal signing key. It names one tenant and an expiry; it is not an API key, is stored
 * nowhere, and stops working when the signing key is rotated.
 */
export function signPortalToken(claims: PortalClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ t: claims.tenantId, exp: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${PREFIX}${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

export const isPortalTokenShaped = (token: string): boolean => token.startsWith(PREFIX) && token.length < 512;

/** The claims of a genuine, unexpired token; undefined for anything else. */
export function verifyPortalToken(token: string, key: Buffer, now: Date = new Date()): PortalClaims | undefined {
  if (!isPortalTokenShaped(token)) return undefined;
  const [payload, mac, ...rest] = token.slice(PREFIX.length).split('.');
  if (!payload || !mac || rest.length > 0) return undefined;
  const given = Buffer.from(mac, 'base64url');
  const expected = createHmac('sha256', key).update(payload).digest();
  if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) return undefined;
  let claims: { t?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { t?: unknown; exp?: unknown };
  } catch {
    return undefined;
  }
  if (typeof claims.t !== 'string' || typeof claims.exp !== 'number') return undefined;
  const expiresAt = new Date(claims.exp * 1000);
  return expiresAt > now ? { tenantId: claims.t, expiresAt } : undefined;
}
