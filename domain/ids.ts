import { randomBytes } from 'node:crypto';

// Crockford base32: sortable, case-insensitive, no ambiguous letters.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'tnt' | 'ep' | 'evt' | 'key' | 'vfy';

/** A ULID-style id: 10 chars of millisecond time then 16 random chars, so ids sort by creation. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${random}`;
}

/** One delivery is one event to one endpoint: its id is derived from both, never random. */
export function deliveryIdFor(eventId: string, endpointId: string): string {
  return `dlv_${eventId.replace(/^evt_/, '')}_${endpointId.replace(/^ep_/, '')}`;
}
