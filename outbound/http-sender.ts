import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { Agent, request } from 'undici';
import { parseRetryAfter } from '../domain/retry-after';
import { checkEndpointUrl, isBlockedAddress } from '../domain/url-safety';

// Keep the first 4 KB of a response: a receiver cannot exhaust our memory (README, "Delivery semantics").
const MAX_BODY_BYTES = 4096;
const BLOCKED_ADDRESS = 'ERR_HERALD_BLOCKED_ADDRESS';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type SendErrorCode =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns_error'
  | 'tls_error'
  | 'blocked_address'
  | 'invalid_url'
  | 'network_error';

/** Exactly one of response and error is set: an attempt that broke off mid-body is an error. */
export interface SendResult {
  durationMs: number;
  // present when an HTTP response arrived
  response?: { status: number; headers: Record<string, string>; body: string; bodyTruncated: boolean; retryAfterMs?: number };
  error?: { code: SendErrorCode; message: string };
}

export interface HttpSender {
  send(req: OutgoingRequest): Promise<SendResult>;
  close(): Promise<void>;
}

export interface HttpSenderOptions {
  allowPrivateTargets: boolean;
  refusedDomains?: readonly string[];
  userAgent: string;
  /** Name resolution; tests inject one to point a public-looking name at loopback. */
  lookup?: LookupFunction;
}

/** POSTs webhooks over one keep-alive connection pool, refusing non-public addresses at connect time. */
export function createHttpSender(opts: HttpSenderOptions): HttpSender {
  const lookup = opts.lookup ?? dnsLookup;
  const agent = new Agent({
    // Webhook POSTs are not idempotent: pipelining them risks a replay when a connection drops.
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    // No per-origin connection cap: the worker's activity concurrency bounds it, and a queue here
    // would spend the attempt's timeout waiting for a socket.
    connect: { lookup: opts.allowPrivateTargets ? lookup : refusingBlockedAddresses(lookup) },
  });

  async function send(req: OutgoingRequest): Promise<SendResult> {
    const started = performance.now();
    const durationMs = (): number => Math.round(performance.now() - started);
    const checked = checkEndpointUrl(req.url, opts);
    if (!checked.ok) return { durationMs: durationMs(), error: { code: 'invalid_url', message: checked.reason } };

    // One deadline for the whole attempt: connect, headers and body. A cleared timer rather than
    // AbortSignal.timeout, so thousands of finished attempts do not leave timers pending.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
    const signal = deadline.signal;
    try {
      const res = await request(checked.url, {
        dispatcher: agent,
        method: 'POST',
        headers: { ...withoutUserAgent(req.headers), 'user-agent': opts.userAgent },
        body: req.body,
        signal,
      });
      const headers = joinHeaders(res.headers);
      const { text, truncated } = await readBounded(res.body);
      const response = { status: res.statusCode, headers, body: text, bodyTruncated: truncated };
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      return { durationMs: durationMs(), response: retryAfterMs === undefined ? response : { ...response, retryAfterMs } };
    } catch (err) {
      return { durationMs: durationMs(), error: describeError(err, signal.aborted, req.timeoutMs, checked.url.hostname) };
    } finally {
      clearTimeout(timer);
    }
  }

  return { send, close: () => agent.close() };
}

/** Checks what DNS answered, as the socket connects, so a rebinding name cannot reach inside. */
function refusingBlockedAddresses(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      const blocked = addresses.find((ip) => isBlockedAddress(ip));
      if (blocked === undefined) return callback(null, address, family);
      const refusal = Object.assign(new Error(`${hostname} resolved to ${blocked}, which is not a public address`), {
        code: BLOCKED_ADDRESS,
      });
      callback(refusal, address, family);
    });
  };
}

function withoutUserAgent(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'user-agent'));
}

function joinHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) joined[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return joined;
}

/** Reads at most one chunk past the limit, then stops: leaving the loop destroys the stream. */
async function readBounded(body: AsyncIterable<Buffer>): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let held = 0;
  let truncated = false;
  for await (const chunk of body) {
    const room = MAX_BODY_BYTES - held;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      truncated = true;
      break;
    }
    chunks.push(chunk);
    held += chunk.length;
  }
  // write() holds back a character cut in half by the limit instead of mangling it.
  const decoder = new StringDecoder('utf8');
  const bytes = Buffer.concat(chunks);
  return { text: truncated ? decoder.write(bytes) : decoder.end(bytes), truncated };
}

interface ErrorFacts {
  code: string;
  name: string;
  message: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_ABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
]);
const TLS_CODE_PREFIXES = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_)/;

function describeError(err: unknown, timedOut: boolean, timeoutMs: number, host: string): { code: SendErrorCode; message: string } {
  const chain = causeChain(err);
  const find = (test: (facts: ErrorFacts) => boolean): ErrorFacts | undefined => chain.find(test);

  const blocked = find((e) => e.code === BLOCKED_ADDRESS);
  if (blocked) return { code: 'blocked_address', message: blocked.message };
  if (timedOut || find((e) => TIMEOUT_CODES.has(e.code) || e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return { code: 'timeout', message: `no complete response within ${timeoutMs} ms` };
  }
  const tls = find((e) => TLS_CODES.has(e.code) || TLS_CODE_PREFIXES.test(e.code));
  if (tls) return { code: 'tls_error', message: `TLS error with ${host}: ${tls.message}` };
  if (find((e) => e.code === 'ECONNREFUSED')) return { code: 'connection_refused', message: `connection refused by ${host}` };
  if (find((e) => RESET_CODES.has(e.code) || e.message.includes('other side closed'))) {
    return { code: 'connection_reset', message: `connection reset or closed by ${host}` };
  }
  if (find((e) => DNS_CODES.has(e.code))) return { code: 'dns_error', message: `could not resolve host ${host}` };
  return { code: 'network_error', message: `network error: ${(chain[0]?.message ?? String(err)).slice(0, 200)}` };
}

/** The error, its causes and (for happy-eyeballs AggregateErrors) its members; bounded against cycles. */
function causeChain(err: unknown): ErrorFacts[] {
  const seen: object[] = [];
  const queue: unknown[] = [err];
  for (let i = 0; i < queue.length && seen.length < 16; i++) {
    const next = queue[i];
    if (typeof next !== 'object' || next === null || seen.includes(next)) continue;
    seen.push(next);
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return seen.map((e) => {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : '',
      name: typeof name === 'string' ? name : '',
      message: typeof message === 'string' ? message : '',
    };
  });
}
