import Router from '@koa/router';
import Koa from 'koa';
import type { AppDeps } from './deps';
import { authenticate } from './middleware/auth';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { deliveriesRouter } from './routes/deliveries';
import { endpointsRouter } from './routes/endpoints';
import { eventTypesRouter } from './routes/event-types';
import { eventsRouter } from './routes/events';
import { healthRouter } from './routes/health';
import { tenantsRouter } from './routes/tenants';

/** SPEC §3: an event body above this is refused with 413. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the API without listening, so tests and server.ts share exactly the same app. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  app.use(errorHandler(deps.logger));

  const health = healthRouter(deps);
  app.use(health.routes());

  const v1 = new Router({ prefix: '/v1' });
  v1.use(authenticate({ adminKey: deps.config.adminKey, apiKeys: deps.apiKeys }), jsonBody(BODY_LIMIT_BYTES));
  for (const router of [tenantsRouter(deps), eventTypesRouter(deps), endpointsRouter(deps), eventsRouter(deps), deliveriesRouter(deps)]) {
    v1.use(router.routes(), router.allowedMethods());
  }
  app.use(v1.routes());
  return app;
}
