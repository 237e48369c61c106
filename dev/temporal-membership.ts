// Temporal's services find each other through the cluster_membership table (ringpop seeds). Rows
// of a server that was killed, or that ran on other ports, stay "alive" for a while after it is
// gone, and a new server then spends up to a minute trying to join them ("Not enough hosts to
// serve the request" meanwhile). Herald runs one server process per database, so before a start
// the rows can go, once no member still answers.
import net from 'node:net';
import { Client } from 'pg';

/** Members that heartbeated this recently might still run; older ones are certainly gone. */
const RECENT_SECONDS = 120;
const PROBE_TIMEOUT_MS = 500;

/**
 * Deletes every cluster_membership row of the database `databaseUrl` names, after checking that no
 * recently seen member still accepts connections: that would be another server on the same
 * database, which must not be joined (two single-process clusters fighting over shards).
 */
export async function forgetPreviousMembers(databaseUrl: string, database: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ rpc_address: string; rpc_port: number }>(
      // Temporal writes these timestamps in UTC into columns without a time zone.
      `SELECT DISTINCT rpc_address, rpc_port FROM cluster_membership
        WHERE last_heartbeat > (now() AT TIME ZONE 'utc') - make_interval(secs => $1)`,
      [RECENT_SECONDS],
    );
    const alive = (await Promise.all(rows.map(async (row) => ((await answers(row.rpc_address, row.rpc_port)) ? row : undefined)))).filter(
      (row) => row !== undefined,
    );
    if (alive.length > 0) {
      const where = alive.map((row) => `${row.rpc_address}:${row.rpc_port}`).join(', ');
      throw new Error(`Temporal database ${database} is in use by a running Temporal server (members at ${where}): stop it or use other database names`);
    }
    const { rowCount } = await client.query('DELETE FROM cluster_membership');
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
