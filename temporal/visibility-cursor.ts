import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../db/pagination';

const MAC_BYTES = 16;

/**
 * Delivery listings page through Temporal visibility with its opaque page tokens. Handing those
 * out bare would let any client feed Temporal arbitrary bytes, so a cursor carries the token with
 * a MAC over the token and the listing's query: a forged cursor, or one from another listing
 * (another tenant's, say), is refused before Temporal sees it. The key is derived from a server
 * secret every API process shares, so any replica accepts any replica's cursors.
 */
export function createVisibilityCursors(serverSecret: string) {
  const key = Buffer.from(hkdfSync('sha256', serverSecret, 'herald', 'visibility-cursor', 32));
  const mac = (token: Buffer, query: string) => createHmac('sha256', key).update(query).update('\n').update(token).digest().subarray(0, MAC_BYTES);

  return {
    seal(token: Uint8Array, query: string): string {
      const bytes = Buffer.from(token);
      return `${bytes.toString('base64url')}.${mac(bytes, query).toString('base64url')}`;
    },
    /** The page token, or InvalidCursorError. */
    open(cursor: string, query: string): Buffer {
      const [encoded, tag, ...rest] = cursor.split('.');
      if (encoded === undefined || tag === undefined || rest.length > 0) throw new InvalidCursorError();
      const token = Buffer.from(encoded, 'base64url');
      const given = Buffer.from(tag, 'base64url');
      if (token.length === 0 || given.length !== MAC_BYTES || !timingSafeEqual(given, mac(token, query))) throw new InvalidCursorError();
      return token;
    },
  };
}
