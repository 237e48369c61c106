// A steady publish load, as a client of Herald's API would make it: one event every `intervalMs`
// (whether or not earlier publishes have been answered, up to `maxInFlight` at once), each with its
// own Idempotency-Key. A publish that fails (the connection refused or cut, a 5xx, no
// answer in time) is sent again with the same key and body, to the next API when `failover` is set,
// until it is accepted (202) or `giveUpMs` has passed. Every accepted event and every failure is
// recorded.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Accepted {
  key: string;
  eventId: string;
  deliveryIds: string[];
  /** The API that accepted it. */
  api: string;
  /** Requests it took (1 = accepted at once). */
  tries: number;
  at: number;
  /** From its first request to its acceptance. */
  ms: number;
}

export interface Failure {
  key: string;
  api: string;
  kind: 'transport' | 'status';
  /** The HTTP status, for kind "status". */
  status?: number;
  message: string;
  at: number;
}

export interface LoadOptions {
  /** API base URLs; the load starts on the first. */
  apis: string[];
  /** Move to the next API after a failure (else keep retrying the same one). */
  failover: boolean;
  authKey: string;
  tenantId: string;
  eventType: string;
  /** Idempotency keys are `<prefix>-<n>`. */
  prefix: string;
  intervalMs?: number;
  /** Publishes waiting for their answer at most at once (default 50); beyond it the load waits. */
  maxInFlight?: number;
  requestTimeoutMs?: number;
  giveUpMs?: number;
}

export function startLoad(opts: LoadOptions) {
  const intervalMs = opts.intervalMs ?? 75;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const giveUpMs = opts.giveUpMs ?? 90_000;
  const maxInFlight = opts.maxInFlight ?? 50;
  const accepted: Accepted[] = [];
  const failures: Failure[] = [];
  /** Keys given up on (never accepted within giveUpMs), and 4xx answers, which are never retried. */
  const lost: { key: string; reason: string }[] = [];
  const attemptedKeys: string[] = [];
  let target = 0;
  let stopping = false;
  /** Requests sent and not yet answered. */
  let inFlight = 0;
  const publishing = new Set<Promise<void>>();

  async function publishOne(n: number): Promise<void> {
    const key = `${opts.prefix}-${n}`;
    attemptedKeys.push(key);
    const body = JSON.stringify({ tenant_id: opts.tenantId, type: opts.eventType, data: { n, prefix: opts.prefix } });
    const firstTry = Date.now();
    for (let tries = 1; ; tries++) {
      const api = opts.apis[target % opts.apis.length]!;
      let failure: Omit<Failure, 'key' | 'api' | 'at'>;
      inFlight++;
      try {
        const res = await fetch(`${api}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.authKey}`, 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const text = await res.text();
        if (res.status === 202) {
          const parsed = JSON.parse(text) as { id: string; deliveries: { id: string }[] };
          accepted.push({ key, eventId: parsed.id, deliveryIds: parsed.deliveries.map((d) => d.id), api, tries, at: Date.now(), ms: Date.now() - firstTry });
          return;
        }
        if (res.status < 500) {
          lost.push({ key, reason: `answered ${res.status}: ${text.slice(0, 300)}` });
          return;
        }
        failure = { kind: 'status', status: res.status, message: text.slice(0, 300) };
      } catch (err) {
        const cause = (err as Error & { cause?: Error }).cause;
        failure = { kind: 'transport', message: `${(err as Error).message}${cause ? `: ${cause.message}` : ''}` };
      } finally {
        inFlight--;
      }
      failures.push({ key, api, at: Date.now(), ...failure });
      if (Date.now() - firstTry > giveUpMs) {
        lost.push({ key, reason: `not accepted within ${giveUpMs / 1000} s; last: ${failure.message}` });
        return;
      }
      // Publishes failing together on one API move the load on once, not once each.
      if (opts.failover && opts.apis[target % opts.apis.length] === api) target++;
      await sleep(200);
    }
  }

  const running = (async () => {
    let next = Date.now();
    for (let n = 1; !stopping; n++) {
      while (publishing.size >= maxInFlight && !stopping) await Promise.race(publishing);
      if (stopping) break;
      const one = publishOne(n).finally(() => publishing.delete(one));
      publishing.add(one);
      // Steady: a publish every intervalMs, without catching up after a wait for maxInFlight.
      next = Math.max(next, Date.now()) + intervalMs;
      await sleep(next - Date.now());
    }
    await Promise.all(publishing);
  })();

  return {
    accepted,
    failures,
    lost,
    attemptedKeys,
    /** Requests waiting for their answer right now. */
    inFlight: () => inFlight,
    /** The API the next request goes to. */
    currentApi: () => opts.apis[target % opts.apis.length]!,
    /** Lets the publishes in progress finish (with their retries), then stops. */
    async stop(): Promise<void> {
      stopping = true;
      await running;
    },
  };
}

export type Load = ReturnType<typeof startLoad>;
