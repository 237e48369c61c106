// The benchmark's webhook receiver, run as its own process so its CPU is measured apart. It
// answers 200 at once and reports (delivery id, receipt time, status) to the parent in batches.
// Requests to /backlog get 503 with a Retry-After date while the parent says the receiver is
// "down", so every waiting delivery's next attempt lands on the same instant.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverCommand = { type: 'downUntil'; at: number | null } | { type: 'stop' };
export type ReceiverMessage =
  | { type: 'ready'; port: number }
  | { type: 'receipts'; ids: string[]; at: number[]; status: number[] };

const FLUSH_MS = 50;
/** A timer may fire a little before the Retry-After instant by the sender's clock; accept those. */
const EARLY_GRACE_MS = 1000;
/** A "down" answer never asks for less than this, so a late attempt does not spin. */
const MIN_RETRY_AFTER_MS = 5000;

const now = () => performance.timeOrigin + performance.now();
let downUntil: number | null = null;
let pending: Extract<ReceiverMessage, { type: 'receipts' }> = { type: 'receipts', ids: [], at: [], status: [] };

function statusFor(path: string, at: number): { status: number; headers: Record<string, string> } {
  if (!path.startsWith('/backlog') || downUntil === null || at >= downUntil - EARLY_GRACE_MS) return { status: 200, headers: {} };
  // HTTP dates have whole seconds: round up so the date is never before the instant.
  const retryAt = Math.ceil(Math.max(downUntil, at + MIN_RETRY_AFTER_MS) / 1000) * 1000;
  return { status: 503, headers: { 'retry-after': new Date(retryAt).toUTCString() } };
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const at = now();
    const { status, headers } = statusFor(req.url ?? '/', at);
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(status === 200 ? 'ok' : 'down');
    const id = req.headers['herald-delivery-id'];
    pending.ids.push(typeof id === 'string' ? id : '');
    pending.at.push(at);
    pending.status.push(status);
  });
});
// Longer than the senders' keep-alive, so they close idle sockets, not we.
server.keepAliveTimeout = 65_000;

const flush = setInterval(() => {
  if (pending.ids.length === 0) return;
  process.send?.(pending);
  pending = { type: 'receipts', ids: [], at: [], status: [] };
}, FLUSH_MS);

process.on('message', (cmd: ReceiverCommand) => {
  if (cmd.type === 'downUntil') downUntil = cmd.at;
  if (cmd.type === 'stop') {
    clearInterval(flush);
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
// The parent going away (even by SIGKILL) closes the IPC channel: do not outlive it.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies ReceiverMessage);
});
