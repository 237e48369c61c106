import Router from '@koa/router';
import Koa from 'koa';
import type { AppDeps } from './deps';
import { authenticate } from './middleware/auth';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { deliveriesRouter } from './routes/deliveries';
import { docsRouter } from './routes/docs';
import { endpointsRouter } from './routes/endpoints';
import { eventTypesRouter } from './routes/event-types';
import { eventsRouter } from './routes/events';
import { healthRouter } from './routes/health';
import { tenantsRouter } from './routes/tenants';
import { BATCH_MAX_EVENTS, EVENT_BODY_LIMIT_BYTES } from './schemas/event';

/** A batch holds up to 100 events of up to 256 KB each (each one checked on its own). */
const BATCH_BODY_LIMIT_BYTES = BATCH_MAX_EVENTS * EVENT_BODY_LIMIT_BYTES + 64 * 1024;
const bodyLimitFor = (path: string) => (path === '/v1/events/batch' ? BATCH_BODY_LIMIT_BYTES : EVENT_BODY_LIMIT_BYTES);

/** Builds the API without listening, so tests and server.ts share exactly the same app. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  app.use(errorHandler(deps.logger));

  // Unauthenticated: health, metrics and the API's own description.
  for (const open of [healthRouter(deps), docsRouter()]) app.use(open.routes());

  const v1 = new Router({ prefix: '/v1' });
  v1.use(authenticate({ adminKey: deps.config.adminKey, apiKeys: deps.apiKeys }), jsonBody(bodyLimitFor));
  for (const router of [tenantsRouter(deps), eventTypesRouter(deps), endpointsRouter(deps), eventsRouter(deps), deliveriesRouter(deps)]) {
    v1.use(router.routes(), router.allowedMethods());
  }
  app.use(v1.routes());
  return app;
}
