import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { buildConsoleAssets, type ConsoleAssets } from '../../console/build';
import type { AppDeps } from '../deps';
import { Problem } from '../problems';
import type { SecureRouter } from '../routing/secure-router';

/**
 * The console's pages may run only its own script and style, talk only to this origin, and be
 * framed by no one. No inline script or style, no external origin; forms never submit by
 * themselves (form-action 'none'), so a key typed into one cannot end up in a URL.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// One build per process, shared by every app that registers these routes (tests build several).
let assets: Promise<ConsoleAssets> | undefined;

function consoleAssets(logger: AppDeps['logger']): Promise<ConsoleAssets> {
  if (!assets) {
    const started = Date.now();
    assets = buildConsoleAssets();
    assets.then(
      () => logger.debug({ ms: Date.now() - started }, 'console built'),
      (err: unknown) => logger.error({ err }, 'the console could not be built: /console answers 503'),
    );
  }
  return assets;
}

const etagOf = (content: string) => `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;

function secureHeaders(ctx: Context): void {
  ctx.set('content-security-policy', CONSOLE_CSP);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'no-referrer');
  ctx.set('x-frame-options', 'DENY');
  ctx.set('cross-origin-opener-policy', 'same-origin');
  ctx.set('cross-origin-resource-policy', 'same-origin');
}

/**
 * The web console and customer portal: one HTML page at /console (views are #/… fragments, so no
 * other server path exists), its script and its stylesheet. Public paths: the page holds no data;
 * every call it makes goes to the REST API with the user's bearer key.
 */
export function registerConsoleRoutes(router: SecureRouter, deps: Pick<AppDeps, 'logger'>): void {
  const built = consoleAssets(deps.logger);
  const load = async () => {
    try {
      return await built;
    } catch {
      throw new Problem(503, 'Service Unavailable', 'the console could not be built; see the API log');
    }
  };

  router.get('/console', 'public', async (ctx) => {
    const { html } = await load();
    secureHeaders(ctx);
    ctx.set('cache-control', 'no-store');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });

  const asset = (file: 'app.js' | 'app.css', type: string, pick: (a: ConsoleAssets) => string) => {
    router.get(`/console/${file}`, 'public', async (ctx) => {
      const content = pick(await load());
      secureHeaders(ctx);
      // Revalidated on every load: a restarted API with a new build is picked up at once.
      ctx.set('cache-control', 'no-cache');
      ctx.set('etag', etagOf(content));
      ctx.type = type;
      ctx.status = 200;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = content;
    });
  };
  asset('app.js', 'text/javascript; charset=utf-8', (a) => a.js);
  asset('app.css', 'text/css; charset=utf-8', (a) => a.css);
}
