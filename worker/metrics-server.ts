import { createServer, type Server } from 'node:http';
import { metricsRegistry } from '../services/metrics';

/** GET /metrics for a worker process, which has no API server of its own. */
export function startMetricsServer(port: number, host: string): Server {
  return createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  }).listen(port, host);
}
