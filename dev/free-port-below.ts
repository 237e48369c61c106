import { randomInt } from 'node:crypto';
import net from 'node:net';

/**
 * An unused port on `host` in [16384, 32768). Temporal on PostgreSQL stores membership ports in a
 * SMALLINT column, so kernel-assigned ports (Linux hands out 32768-60999) make the server exit at
 * start. Ports below that range are also never taken by outgoing connections, so a port stays free
 * while a killed server is started again on it.
 */
export async function freePortBelow32768(host = '127.0.0.1', avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomInt(16_384, 32_768);
    if (!avoid.has(port) && (await canListen(host, port))) return port;
  }
  throw new Error(`no free port found on ${host} between 16384 and 32767`);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
