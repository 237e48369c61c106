import Router from '@koa/router';
import { metricsRegistry } from '../../services/metrics';
import type { AppDeps } from '../deps';

/** Liveness, readiness (PostgreSQL and Temporal both answer) and Prometheus metrics. */
export function healthRouter(deps: AppDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const [postgres, temporal] = await Promise.all([
      deps.pool.query('SELECT 1').then(() => 'ok', (err: Error) => err.message),
      deps.temporal.workflowService.getSystemInfo({}).then(() => 'ok', (err: Error) => err.message),
    ]);
    const ready = postgres === 'ok' && temporal === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks: { postgres, temporal } };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metricsRegistry.contentType;
    ctx.body = await metricsRegistry.metrics();
  });
  return router;
}
