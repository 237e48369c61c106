import type { Middleware } from 'koa';
import { Problem } from '../problems';

// Characters Herald's own paths are made of (ids, event type names, static file names).
const SEGMENT = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;

/**
 * Why a request path is not in the one spelling Herald answers to, or undefined when it is.
 * Percent-encoding, empty segments (`//`, a trailing `/`) and dot segments could be read one way
 * by a proxy or a router and another way here, so none of them is ever routed.
 */
export function pathFault(path: string): string | undefined {
  if (path === '/') return undefined;
  if (!path.startsWith('/')) return 'must start with /';
  if (path.includes('%')) return 'percent-encoded characters are never part of a Herald path';
  for (const segment of path.slice(1).split('/')) {
    if (segment === '') return 'empty segments (// or a trailing /) are never part of a Herald path';
    if (segment === '.' || segment === '..') return 'dot segments are never part of a Herald path';
    if (!SEGMENT.test(segment)) return 'contains characters that are never part of a Herald path';
  }
  return undefined;
}

/** First after the error handler: a path in any other spelling is not found, key or no key. */
export function canonicalPath(): Middleware {
  return async (ctx, next) => {
    const fault = pathFault(ctx.path);
    if (fault) throw new Problem(404, 'Not Found', 'no such path', [{ path: 'path', message: fault }]);
    return next();
  };
}
