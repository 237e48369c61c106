import Router, { type RouterMiddleware } from '@koa/router';
import type { Middleware } from 'koa';
import type { ZodTypeAny } from 'zod';
import { Problem } from '../problems';
import { enforceAccess, type Access } from './access';
import { paramSchemas } from './path-params';

type Handler = RouterMiddleware;

// Every guard the secure router made, with the rule it enforces: a layer whose first middleware
// is not in here was registered some other way and must not be served.
const RULES = new WeakMap<object, Access>();

/** The route's rule comes first; then its path ids must be well-formed, or the answer is 404. */
function guard(access: Access, params: Record<string, ZodTypeAny>): Handler {
  const check: Handler = async (ctx, next) => {
    enforceAccess(access, ctx);
    for (const [name, schema] of Object.entries(params)) {
      const parsed = schema.safeParse(ctx.params[name]);
      if (!parsed.success) {
        throw new Problem(404, 'Not Found', 'no such resource', [{ path: `path.${name}`, message: parsed.error.issues[0]?.message ?? 'is not valid' }]);
      }
    }
    return next();
  };
  RULES.set(check, access);
  return check;
}

/** The rule declared for a router layer, or undefined when it has none. */
export function accessOf(layer: { stack: readonly unknown[] }): Access | undefined {
  const first = layer.stack[0];
  return typeof first === 'function' ? RULES.get(first) : undefined;
}

export interface SecureRouter {
  readonly router: Router;
  get(path: string, access: Access, handler: Handler): void;
  post(path: string, access: Access, handler: Handler): void;
  patch(path: string, access: Access, handler: Handler): void;
  delete(path: string, access: Access, handler: Handler): void;
}

/**
 * One flat router for the whole API, matched exactly: case-sensitive, and a trailing slash is a
 * different path. Routes can only be added with a declared access rule, which runs first.
 */
export function createSecureRouter(): SecureRouter {
  const router = new Router({ sensitive: true, strict: true });
  const add = (method: 'get' | 'post' | 'patch' | 'delete') => (path: string, access: Access, handler: Handler) => {
    router[method](path, guard(access, paramSchemas(path)), handler);
  };
  return { router, get: add('get'), post: add('post'), patch: add('patch'), delete: add('delete') };
}

/** The router's routes as Koa middleware; throws at build time if any layer lacks a rule. */
export function secureRoutes(router: Router): Middleware {
  const unguarded = router.stack.filter((layer) => accessOf(layer) === undefined);
  if (unguarded.length > 0) throw new Error(`routes without an access rule: ${unguarded.map((l) => `${l.methods.join(',')} ${String(l.path)}`).join('; ')}`);
  return router.routes() as Middleware;
}
