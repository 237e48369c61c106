import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIXED_ULID = /^[a-z]+_([0-7][0-9A-HJKMNP-TV-Z]{25})$/;

const format = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * A GUID for an id, for receivers that expect one (the studio seed's `PayloadId`). A Herald id
 * (`evt_` + 26-character ULID) holds exactly 128 bits and maps onto a GUID one to one, so the
 * same event always gets the same GUID and it can be traced back; a GUID stays as it is; any
 * other string gets a stable name-based GUID from its SHA-256.
 */
export function guidFor(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const ulid = PREFIXED_ULID.exec(id)?.[1];
  if (ulid) {
    let value = 0n;
    for (const char of ulid) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
    return format(Buffer.from(value.toString(16).padStart(32, '0'), 'hex'));
  }
  const bytes = createHash('sha256').update(id, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return format(bytes);
}
