import net from 'node:net';

/**
 * Asks the kernel for an unused loopback port. There is a short window between closing this
 * listener and the child process binding the port; acceptable for a dev machine.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
