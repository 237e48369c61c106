import { bearerToken, matchesDigest, tokenDigest } from '../../domain/bearer';
import type { AppDeps } from '../deps';
import { unauthorized } from '../problems';
import type { SecureRouter } from '../routing/secure-router';

/** Liveness, readiness (PostgreSQL and Temporal both answer) and Prometheus metrics: all public. */
export function registerHealthRoutes(router: SecureRouter, deps: AppDeps): void {
  router.get('/healthz', 'public', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', 'public', async (ctx) => {
    const [postgres, temporal] = await Promise.all([
      deps.pool.query('SELECT 1').then(() => 'ok', (err: Error) => err.message),
      deps.temporal.workflowService.getSystemInfo({}).then(() => 'ok', (err: Error) => err.message),
    ]);
    const ready = postgres === 'ok' && temporal === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks: { postgres, temporal } };
  });
  // Aggregates only: no label carries a tenant, endpoint or event (README, "Security model").
  // Public unless HERALD_METRICS_TOKEN is set: scrapers rarely hold API keys.
  const metricsDigest = deps.config.metricsToken === undefined ? undefined : tokenDigest(deps.config.metricsToken);
  router.get('/metrics', 'public', async (ctx) => {
    const token = bearerToken(ctx.get('authorization'));
    if (metricsDigest && (token === undefined || !matchesDigest(token, metricsDigest))) throw unauthorized();
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
}
