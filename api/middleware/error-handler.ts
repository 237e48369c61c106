import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Problem } from '../problems';

/** First in the chain: known errors become problem+json; unexpected ones are logged and hidden. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new Problem(404, 'Not Found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const problem =
        err instanceof Problem ? err : new Problem(500, 'Internal Server Error', 'an unexpected error occurred; it has been logged');
      if (!(err instanceof Problem)) logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = {
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        ...(problem.detail !== undefined && { detail: problem.detail }),
        ...(problem.errors !== undefined && { errors: problem.errors }),
      };
    }
  };
}
