import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { jsonFault } from '../json-limits';
import { Problem, validationFailed } from '../problems';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Reads a JSON request body up to the path's limit into ctx.state.body. Oversize answers 413,
 * malformed JSON 400, and JSON Herald cannot keep (too deep, NUL, lone surrogates) 422, before any
 * handler can store anything.
 */
export function jsonBody(limitFor: (path: string) => number): Middleware {
  return async (ctx, next) => {
    const limitBytes = limitFor(ctx.path);
    ctx.state.body = undefined;
    if (!METHODS_WITH_BODY.has(ctx.method)) return next();
    const length = ctx.request.length;
    if (!length && !ctx.request.headers['transfer-encoding']) return next();
    if (!ctx.request.is('application/json', '+json')) {
      throw new Problem(415, 'Unsupported Media Type', 'send the body as Content-Type: application/json');
    }
    let raw: string;
    try {
      raw = await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8', length });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        throw new Problem(413, 'Content Too Large', `the body is larger than ${Math.round(limitBytes / 1024)} KB`);
      }
      throw new Problem(400, 'Bad Request', 'the request body could not be read');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw validationFailed([{ path: '', message: `malformed JSON: ${(err as Error).message}` }], 400);
    }
    const fault = jsonFault(body);
    if (fault) throw validationFailed([fault]);
    ctx.state.body = body;
    return next();
  };
}
