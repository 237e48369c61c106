import { STATUS_CODES } from 'node:http';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isInfrastructureFault } from '../../app/faults';
import { InvalidCursorError } from '../../db/pagination';
import { Problem, validationFailed } from '../problems';

/** Known errors from below the API, and Koa's own client errors, as the problems they are. */
function asProblem(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  if (err instanceof InvalidCursorError) return validationFailed([{ path: 'query.cursor', message: err.message }]);
  if (isInfrastructureFault(err)) return new Problem(503, 'Service Unavailable', 'PostgreSQL or Temporal cannot be reached right now; try again shortly');
  // http-errors thrown by Koa or its helpers mark client errors as safe to show.
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
    return new Problem(status, STATUS_CODES[status] ?? 'Bad Request', typeof message === 'string' ? message : undefined);
  }
  return undefined;
}

/** First in the chain: known errors become problem+json; unexpected ones are logged and hidden. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new Problem(404, 'Not Found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const known = asProblem(err);
      if (!known || known.status >= 500) logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      if (known?.status === 503) ctx.set('retry-after', '5');
      const problem = known ?? new Problem(500, 'Internal Server Error', 'an unexpected error occurred; it has been logged');
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
