import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../openapi';
import type { SecureRouter } from '../routing/secure-router';

const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = [
  { file: 'swagger-ui.css', type: 'text/css' },
  { file: 'swagger-ui-bundle.js', type: 'application/javascript' },
];

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Herald API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** /openapi.json and /docs (Swagger UI served from the installed package: no CDN needed). */
export function registerDocsRoutes(router: SecureRouter): void {
  const document = openApiDocument();
  router.get('/openapi.json', 'public', (ctx) => {
    ctx.body = document;
  });
  router.get('/docs', 'public', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  // One fixed route per file: no path parameter ever reaches the file system.
  for (const asset of ASSETS) {
    const content = readFileSync(path.join(SWAGGER_UI, asset.file));
    router.get(`/docs/${asset.file}`, 'public', (ctx) => {
      ctx.type = asset.type;
      ctx.set('cache-control', 'public, max-age=86400');
      ctx.body = content;
    });
  }
}
