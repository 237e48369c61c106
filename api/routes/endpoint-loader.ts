import type { Context } from 'koa';
import type { Endpoint } from '../../domain/endpoint';
import type { AppDeps } from '../deps';
import { notFound } from '../problems';
import { scopeOf } from '../scope';

/** The endpoint named by the path's `:id`, as the caller may see it; 404 otherwise. */
export async function loadEndpoint(deps: Pick<AppDeps, 'endpoints'>, ctx: Context & { params: Record<string, string> }): Promise<Endpoint> {
  const endpoint = await deps.endpoints.get(ctx.params.id!, scopeOf(ctx));
  if (!endpoint) throw notFound('endpoint');
  return endpoint;
}
