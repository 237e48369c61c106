// A real webhook receiver on 127.0.0.1 for the cluster tests. It records every request with its
// delivery id (`webhook-id`) and when it began and ended, holds each one for a while before it
// answers, and notes every request that arrives while another request of the same delivery is still
// open: two workers attempting one delivery at the same time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  deliveryId: string;
  path: string;
  /** 1 for the first request of this delivery id on this path, 2 for the next, ... */
  nth: number;
  start: number;
  /** When the response finished or the connection closed; undefined while open. */
  end: number | undefined;
  status: number;
  /** The sender went away (closed the connection) before the answer was sent. */
  aborted: boolean;
}

export interface Overlap {
  deliveryId: string;
  path: string;
  at: number;
  open: number;
}

/** How a path answers the `nth` request of a delivery: after `holdMs`, with `status`. */
export type Behaviour = (nth: number) => { status: number; holdMs: number };

export const always = (status: number, holdMs: number): Behaviour => () => ({ status, holdMs });
/** Fails the first request of each delivery at once, then answers 200 after `holdMs`. */
export const failFirst = (holdMs: number): Behaviour => (nth) => (nth === 1 ? { status: 500, holdMs: 0 } : { status: 200, holdMs });

export async function startRecordingReceiver(routes: Record<string, Behaviour>) {
  const hits: Hit[] = [];
  const overlaps: Overlap[] = [];
  const open = new Map<string, number>();
  const counts = new Map<string, number>();
  const acks = new Map<string, Set<string>>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const urlPath = (req.url ?? '').split('?')[0]!;
    const deliveryId = String(req.headers['webhook-id'] ?? '');
    const behaviour = routes[urlPath];
    if (!behaviour || !deliveryId) {
      res.writeHead(404).end();
      return;
    }
    const key = `${urlPath} ${deliveryId}`;
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    const openNow = open.get(deliveryId) ?? 0;
    if (openNow > 0) overlaps.push({ deliveryId, path: urlPath, at: Date.now(), open: openNow });
    open.set(deliveryId, openNow + 1);
    const { status, holdMs } = behaviour(nth);
    const hit: Hit = { deliveryId, path: urlPath, nth, start: Date.now(), end: undefined, status, aborted: false };
    hits.push(hit);
    let timer: NodeJS.Timeout | undefined;
    res.on('close', () => {
      clearTimeout(timer);
      hit.end = Date.now();
      hit.aborted = !res.writableFinished;
      open.set(deliveryId, (open.get(deliveryId) ?? 1) - 1);
      if (!hit.aborted && status >= 200 && status < 300) {
        let set = acks.get(urlPath);
        if (!set) acks.set(urlPath, (set = new Set()));
        set.add(deliveryId);
      }
    });
    // Drain the body; answer after the hold (the sender may be gone by then).
    req.resume();
    req.on('end', () => {
      timer = setTimeout(() => {
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again');
      }, holdMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    base: `http://127.0.0.1:${port}`,
    url: (urlPath: string) => `http://127.0.0.1:${port}${urlPath}`,
    hits,
    overlaps,
    /** Delivery ids answered with a 2xx (the response was sent in full) on `urlPath`. */
    acknowledged: (urlPath: string): ReadonlySet<string> => acks.get(urlPath) ?? new Set(),
    /** Requests still open on `urlPath` (all paths when absent). */
    openRequests: (urlPath?: string) => hits.filter((h) => h.end === undefined && (urlPath === undefined || h.path === urlPath)),
    hitsOf: (deliveryId: string) => hits.filter((h) => h.deliveryId === deliveryId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RecordingReceiver = Awaited<ReturnType<typeof startRecordingReceiver>>;
