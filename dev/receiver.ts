// A local webhook receiver for a first delivery (`npm run receiver`): prints every webhook it gets
// and verifies its Standard Webhooks signature, written from the specification with node:crypto
// alone (not with Herald's signing code), so it checks Herald the way a customer's receiver would.
//
//   npm run receiver                                   # accept anything, say it is unverified
//   npm run receiver -- --secret whsec_...             # v1: HMAC-SHA256
//   npm run receiver -- --public-key whpk_...          # v1a: Ed25519
//   HERALD_KEY=... npm run receiver -- --endpoint ep_... --api http://127.0.0.1:3000
//                                                      # fetch the endpoint's secret or public key
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

/** Standard Webhooks: a timestamp further than this from now is refused (replay protection). */
export const TOLERANCE_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;

/** What a request is verified with: HMAC secrets (v1) and Ed25519 public keys (v1a). */
export interface VerificationKeys {
  secrets: Buffer[];
  publicKeys: KeyObject[];
}

export type Verdict = { ok: true; version: 'v1' | 'v1a' } | { ok: false; reason: string };

/** `whsec_<base64>` (the prefix is optional, as in the specification's libraries) → the HMAC key bytes. */
export function parseSecret(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('a Standard Webhooks secret is whsec_ followed by base64');
  return Buffer.from(encoded, 'base64');
}

/** `whpk_<base64 of the raw 32-byte key>` → an Ed25519 public key. */
export function parsePublicKey(publicKey: string): KeyObject {
  if (!publicKey.startsWith('whpk_')) throw new Error('a Standard Webhooks public key is whpk_ followed by base64');
  const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
  if (raw.length !== 32) throw new Error(`an Ed25519 public key has 32 bytes, not ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verifies a request as the Standard Webhooks specification says: the signed content is
 * `{webhook-id}.{webhook-timestamp}.{body}`; `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256>` and/or `v1a,<base64 Ed25519>` signatures, any one of which may match
 * (several during a key rotation); the timestamp must be within five minutes of now.
 */
export function verifyStandardWebhook(headers: IncomingHttpHeaders, body: string | Buffer, keys: VerificationKeys, nowMs = Date.now()): Verdict {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not a Unix time in seconds' };
  const skew = Math.abs(nowMs / 1000 - Number(timestamp));
  if (skew > TOLERANCE_SECONDS) return { ok: false, reason: `webhook-timestamp is ${Math.round(skew)} s away from now (at most ${TOLERANCE_SECONDS} s)` };

  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (version === 'v1') {
      for (const secret of keys.secrets) {
        const expected = createHmac('sha256', secret).update(content).digest();
        if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, version: 'v1' };
      }
    } else if (version === 'v1a') {
      for (const key of keys.publicKeys) {
        if (given.length === 64 && verify(null, content, key, given)) return { ok: true, version: 'v1a' };
      }
    }
  }
  const held = [keys.secrets.length > 0 && 'v1 secret', keys.publicKeys.length > 0 && 'v1a public key'].filter(Boolean).join(' or ');
  return { ok: false, reason: held ? `no signature in webhook-signature matches the ${held}` : 'no key to verify with' };
}

/** Where the receiver gets its keys from Herald: GET /v1/endpoints/:id/secret, or .../public-key for Ed25519. */
export interface KeySource {
  api: string;
  key: string;
  endpoint: string;
}

export async function fetchKeys(source: KeySource): Promise<VerificationKeys> {
  const base = `${source.api.replace(/\/$/, '')}/v1/endpoints/${encodeURIComponent(source.endpoint)}`;
  const get = (path: string) => fetch(base + path, { headers: { authorization: `Bearer ${source.key}`, accept: 'application/json' } });
  const res = await get('/secret');
  if (res.status === 409) {
    // An Ed25519 endpoint: its private key never leaves Herald; verify with the public keys.
    const keys = await get('/public-key');
    if (!keys.ok) throw new Error(`GET ${base}/public-key answered ${keys.status}: ${await keys.text()}`);
    const body = (await keys.json()) as { public_key: string | null; previous: { public_key: string }[] };
    const all = [body.public_key, ...body.previous.map((p) => p.public_key)].filter((k): k is string => k !== null);
    return { secrets: [], publicKeys: all.map(parsePublicKey) };
  }
  if (!res.ok) throw new Error(`GET ${base}/secret answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { secret: string | null; previous: { secret: string }[] };
  const all = [body.secret, ...body.previous.map((p) => p.secret)].filter((s): s is string => s !== null);
  return { secrets: all.map(parseSecret), publicKeys: [] };
}

export interface ReceiverOptions {
  port?: number;
  secret?: string;
  publicKey?: string;
  source?: KeySource;
  log?: (line: string) => void;
}

export interface RunningReceiver {
  url: string;
  port: number;
  close(): Promise<void>;
}

const pretty = (body: string): string => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

/** Listens on 127.0.0.1 only; answers 200 to a valid (or, with no key given, any) request, 401 to an invalid one. */
export async function startWebhookReceiver(opts: ReceiverOptions = {}): Promise<RunningReceiver> {
  const log = opts.log ?? ((line: string) => console.log(line));
  let keys: VerificationKeys = {
    secrets: opts.secret ? [parseSecret(opts.secret)] : [],
    publicKeys: opts.publicKey ? [parsePublicKey(opts.publicKey)] : [],
  };
  let fetchedAt = 0;
  const refresh = async (): Promise<boolean> => {
    if (!opts.source || Date.now() - fetchedAt < 5_000) return false;
    fetchedAt = Date.now();
    try {
      keys = await fetchKeys(opts.source);
      return true;
    } catch (err) {
      log(`could not fetch the endpoint's keys: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  };
  if (opts.source) await refresh();
  const hasKeys = () => keys.secrets.length + keys.publicKeys.length > 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        if (!res.headersSent) res.writeHead(413).end('body too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      void (async () => {
        const body = Buffer.concat(chunks);
        const type = header(req.headers, 'herald-event-type') ?? '(no herald-event-type)';
        const id = header(req.headers, 'herald-delivery-id') ?? header(req.headers, 'webhook-id') ?? '(no id)';
        let verdict: Verdict | undefined;
        if (hasKeys() || opts.source) {
          verdict = verifyStandardWebhook(req.headers, body, keys);
          // A rotated secret: fetch the endpoint's keys again (at most every 5 s) and retry once.
          if (!verdict.ok && (await refresh())) verdict = verifyStandardWebhook(req.headers, body, keys);
        }
        const check = !verdict ? 'signature NOT CHECKED (no --secret, --public-key or --endpoint given)' : verdict.ok ? `signature OK (${verdict.version})` : `signature INVALID: ${verdict.reason}`;
        log(`${new Date().toISOString()} ${req.method} ${req.url} ${type} ${id}\n  ${check}\n${pretty(body.toString('utf8'))}\n`);
        if (verdict && !verdict.ok) {
          res.writeHead(401, { 'content-type': 'text/plain' }).end(`invalid signature: ${verdict.reason}`);
        } else {
          res.writeHead(200, { 'content-type': 'text/plain' }).end(verdict ? 'ok: signature verified' : 'ok: signature not checked');
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4000, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4000' },
      secret: { type: 'string' },
      'public-key': { type: 'string' },
      endpoint: { type: 'string' },
      api: { type: 'string', default: 'http://127.0.0.1:3000' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`npm run receiver -- [--port 4000] [--secret whsec_... | --public-key whpk_... | --endpoint ep_... [--api URL] [--key KEY]]
  Prints each webhook and verifies its Standard Webhooks signature: 200 when valid, 401 when not.
  --endpoint fetches the endpoint's secret (or Ed25519 public key) from Herald with --key or $HERALD_KEY.
  With no key at all it accepts every request and says the signature was not checked.`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port`);
  const apiKey = values.key ?? process.env.HERALD_KEY;
  if (values.endpoint && !apiKey) throw new Error('--endpoint needs an API key: --key <key> or HERALD_KEY');
  const receiver = await startWebhookReceiver({
    port,
    ...(values.secret !== undefined && { secret: values.secret }),
    ...(values['public-key'] !== undefined && { publicKey: values['public-key'] }),
    ...(values.endpoint !== undefined && apiKey !== undefined && { source: { api: values.api, key: apiKey, endpoint: values.endpoint } }),
  });
  const mode = values.secret
    ? `verifying v1 (HMAC) signatures with the secret ${values.secret}\n(create the endpoint with "secret": "${values.secret}")`
    : values['public-key']
      ? 'verifying v1a (Ed25519) signatures with --public-key'
      : values.endpoint
        ? `verifying with the keys of ${values.endpoint} from ${values.api}`
        : 'NOT verifying signatures (no --secret, --public-key or --endpoint): every request is accepted';
  console.log(`Herald receiver listening on ${receiver.url} (any path), ${mode}. Ctrl-C stops it.\n`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
