import Koa from 'koa';
import type { AppDeps } from './deps';
import { authenticate } from './middleware/auth';
import { canonicalPath } from './middleware/canonical-path';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { methodNotAllowed } from './problems';
import { PUBLIC_PATHS } from './routing/public-paths';
import { createSecureRouter, secureRoutes } from './routing/secure-router';
import { registerApiKeyRoutes } from './routes/api-keys';
import { registerConsoleRoutes } from './routes/console';
import { registerDeliveryRoutes } from './routes/deliveries';
import { registerDocsRoutes } from './routes/docs';
import { registerEndpointActionRoutes } from './routes/endpoint-actions';
import { registerEndpointKeyRoutes } from './routes/endpoint-keys';
import { registerEndpointRoutes } from './routes/endpoints';
import { registerEventTypeRoutes } from './routes/event-types';
import { registerEventRoutes } from './routes/events';
import { registerHealthRoutes } from './routes/health';
import { registerPortalRoutes } from './routes/portal';
import { registerTenantRoutes } from './routes/tenants';
import { BATCH_MAX_EVENTS, EVENT_BODY_LIMIT_BYTES } from './schemas/event';

/** A batch holds up to 100 events of up to 256 KB each (each one checked on its own). */
const BATCH_BODY_LIMIT_BYTES = BATCH_MAX_EVENTS * EVENT_BODY_LIMIT_BYTES + 64 * 1024;
const bodyLimitFor = (path: string) => (path === '/v1/events/batch' ? BATCH_BODY_LIMIT_BYTES : EVENT_BODY_LIMIT_BYTES);

/** Every route of the API on one router, each with its access rule (see routing/secure-router.ts). */
export function createApiRouter(deps: AppDeps) {
  const routes = createSecureRouter();
  for (const register of [
    registerHealthRoutes,
    registerDocsRoutes,
    registerConsoleRoutes,
    registerTenantRoutes,
    registerApiKeyRoutes,
    registerPortalRoutes,
    registerEventTypeRoutes,
    registerEndpointRoutes,
    registerEndpointKeyRoutes,
    registerEndpointActionRoutes,
    registerEventRoutes,
    registerDeliveryRoutes,
  ]) {
    register(routes, deps);
  }
  return routes.router;
}

/**
 * Builds the API without listening, so tests and server.ts share exactly the same app. The order
 * is the security model (README, "Security model"): a path in any but its one spelling is not
 * found; then every request is authenticated before it is routed, and only the public paths pass
 * without a key; then the body is read and checked; then the route's own access rule runs.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  const router = createApiRouter(deps);
  app.use(errorHandler(deps.logger));
  app.use(canonicalPath());
  app.use(authenticate({ adminKey: deps.config.adminKey, apiKeys: deps.apiKeys, portalKey: deps.portalKey, tenants: deps.tenants, publicPaths: PUBLIC_PATHS }));
  app.use(jsonBody(bodyLimitFor));
  app.use(secureRoutes(router));
  app.use(router.allowedMethods({ throw: true, methodNotAllowed, notImplemented: methodNotAllowed }));
  return app;
}
