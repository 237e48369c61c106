import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { bearerToken, matchesDigest, tokenDigest } from '../domain/bearer';

/** GET /metrics for a worker process, which has no API server of its own; guarded like the API's. */
export function startMetricsServer(registry: Registry, port: number, host: string, token: string | undefined): Server {
  const digest = token === undefined ? undefined : tokenDigest(token);
  return createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const given = bearerToken(req.headers.authorization);
    if (digest && (given === undefined || !matchesDigest(given, digest))) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  }).listen(port, host);
}
