import { isIP, isIPv4, isIPv6 } from 'node:net';

const MAX_URL_LENGTH = 2048;

// Names that only ever resolve inside a network (RFC 6761/6762/8375, ICANN's .internal) or that
// cloud providers use for their instance-metadata services.
const REFUSED_HOSTS = new Set(['localhost', 'metadata', 'metadata.google.internal', 'instance-data']);
const REFUSED_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.localdomain'];

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export interface UrlPolicy {
  allowPrivateTargets: boolean;
  /** Domains the platform refuses as targets, with their subdomains (e.g. its own domain). */
  refusedDomains?: readonly string[];
}

/**
 * Decides whether a URL may be an endpoint. Secure mode demands https to a public host name;
 * allowPrivateTargets (local development, tests) also accepts http and any host.
 */
export function checkEndpointUrl(raw: string, opts: UrlPolicy): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return refuse(`URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('scheme must be http or https');
  // Credentials in a URL end up in logs and attempt records.
  if (url.username !== '' || url.password !== '') return refuse('URL must not contain credentials');
  const named = url.hostname.toLowerCase().replace(/\.+$/, '');
  const refusedDomain = opts.refusedDomains?.find((d) => named === d || named.endsWith(`.${d}`));
  if (refusedDomain) return refuse(`targets in ${refusedDomain} are refused by this Herald's configuration`);
  if (opts.allowPrivateTargets) return { ok: true, url };

  if (url.protocol !== 'https:') return refuse('scheme must be https');
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and 0177.1 into dotted IPv4.
  if (url.hostname.startsWith('[') || isIP(url.hostname) !== 0) {
    return refuse('host must be a name, not an IP address');
  }
  const host = url.hostname.replace(/\.+$/, '');
  if (host === '') return refuse('URL must name a host');
  if (REFUSED_HOSTS.has(host) || REFUSED_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return refuse(`host ${host} is internal and cannot be a webhook target`);
  }
  // A single label only resolves through local search domains, i.e. to something internal.
  if (!host.includes('.')) return refuse('host must be a fully qualified domain name');
  return { ok: true, url };
}

function refuse(reason: string): UrlCheck {
  return { ok: false, reason };
}

type Cidr = readonly [base: string, bits: number];

// Everything that is not ordinary public unicast: an outbound webhook must never land here.
const BLOCKED_V4: readonly Cidr[] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast 255.255.255.255
];

const BLOCKED_V6: readonly Cidr[] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: tunnels to an address we cannot see
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
];

// IPv6 forms that carry an IPv4 address: prefix and the bit offset of the embedded address.
const EMBEDS_V4: readonly (readonly [base: string, bits: number, v4Offset: number])[] = [
  ['::ffff:0:0', 96, 96], // IPv4-mapped
  ['::ffff:0:0:0', 96, 96], // IPv4-translated (SIIT)
  ['::', 96, 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, 96], // NAT64 well-known prefix
  ['2002::', 16, 16], // 6to4
];

/** True when connecting to this address could reach a loopback, private or otherwise non-public host. Non-IPs are blocked. */
export function isBlockedAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(address)) return isBlockedV4(parseV4(address));
  // A zone id (fe80::1%eth0) names an interface; the address itself decides.
  const unzoned = address.replace(/%.*$/, '');
  if (isIPv6(unzoned)) return isBlockedV6(parseV6(unzoned));
  return true;
}

function isBlockedV4(value: number): boolean {
  return BLOCKED_V4.some(([base, bits]) => sameV4Prefix(value, parseV4(base), bits));
}

function isBlockedV6(value: bigint): boolean {
  if (BLOCKED_V6.some(([base, bits]) => sameV6Prefix(value, parseV6(base), bits))) return true;
  for (const [base, bits, offset] of EMBEDS_V4) {
    if (!sameV6Prefix(value, parseV6(base), bits)) continue;
    const embedded = Number((value >> BigInt(96 - offset)) & 0xffffffffn);
    if (isBlockedV4(embedded)) return true;
  }
  return false;
}

function sameV4Prefix(a: number, b: number, bits: number): boolean {
  const shift = 32 - bits;
  return shift >= 32 || a >>> shift === b >>> shift;
}

function sameV6Prefix(a: bigint, b: bigint, bits: number): boolean {
  const shift = BigInt(128 - bits);
  return a >> shift === b >> shift;
}

/** Dotted-quad IPv4 (already validated) to an unsigned 32-bit number. */
function parseV4(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** IPv6 text (already validated, no zone) to a 128-bit number; handles "::" and a dotted tail. */
function parseV6(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const v4 = parseV4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
