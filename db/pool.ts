import { Pool } from 'pg';

/** One pool per process; callers end it on shutdown. */
export function createPool(databaseUrl: string, max = 10): Pool {
  // Fail fast while PostgreSQL is down: callers (activities) are retried by Temporal with backoff,
  // which beats hanging on a connection that will not come.
  const pool = new Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (PostgreSQL restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
