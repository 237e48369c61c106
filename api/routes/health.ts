import Router from '@koa/router';
import type { AppDeps } from '../deps';

/** Liveness and readiness: ready means PostgreSQL and Temporal both answer. */
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
  return router;
}
