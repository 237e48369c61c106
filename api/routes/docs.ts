import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { openApiDocument } from '../openapi';

const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'application/javascript' };

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Herald API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** /openapi.json and /docs (Swagger UI served from the installed package: no CDN needed). */
export function docsRouter(): Router {
  const router = new Router();
  const document = openApiDocument();
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  router.get('/docs/:asset', (ctx) => {
    const type = ASSETS[ctx.params.asset!];
    if (!type) return;
    ctx.type = type;
    ctx.set('cache-control', 'public, max-age=86400');
    ctx.body = readFileSync(path.join(SWAGGER_UI, ctx.params.asset!));
  });
  return router;
}
