/**
 * The only paths answered without an API key. Everything else is refused with 401 before routing,
 * whatever route it would have reached. Exact matches: no prefixes, no patterns.
 */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs',
  '/docs/swagger-ui.css',
  '/docs/swagger-ui-bundle.js',
  // The console's page and assets: it signs in with a key the person types (README, "Console and portal").
  '/console',
  '/console/app.js',
  '/console/app.css',
]);
