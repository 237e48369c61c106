// Which errors an attempt may outlive. Infrastructure faults (PostgreSQL down or restarting, the
// network to it broken) go away by themselves, so Temporal retries them with a bounded backoff.
// Anything else (a secret that no longer decrypts after an encryption-key mistake, a bug) will
// fail the same way every time: retrying it would hold the delivery in `delivering` forever.

// PostgreSQL SQLSTATE classes and codes that mean "not now" rather than "never".
const RETRYABLE_SQLSTATE = /^(08|53|57P0[123]|40001|40P01|55P03)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// gRPC status codes of a Temporal frontend that is down or overloaded: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED.
const RETRYABLE_GRPC = new Set([14, 4, 8]);
// node-postgres reports a lost or unobtainable connection with these messages and no code.
const POOL_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection error|not queryable|Client was closed/i;

export function isInfrastructureFault(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || RETRYABLE_SQLSTATE.test(code))) return true;
    if (typeof code === 'number' && RETRYABLE_GRPC.has(code)) return true;
    if (typeof message === 'string' && POOL_MESSAGES.test(message)) return true;
  }
  return false;
}
