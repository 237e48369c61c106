import { WorkflowNotFoundError } from '@temporalio/client';
import { cancelSignal } from '../../workflows/delivery-definitions';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../problems';
import { deliveryFilterOf, listDeliveriesQuery } from '../schemas/delivery';
import { scopeOf } from '../scope';
import type { SecureRouter } from '../routing/secure-router';
import { parseInput } from '../validate';
import { listDeliveries } from '../../app/list-deliveries';
import { attemptToWire, deliverySummaryToWire, pageToWire } from '../wire';

export function registerDeliveryRoutes(router: SecureRouter, deps: AppDeps): void {
  const uiBase = deps.config.temporal.uiUrl.replace(/\/$/, '');
  const namespace = encodeURIComponent(deps.config.temporal.namespace);

  const load = async (id: string, scope: ReturnType<typeof scopeOf>) => {
    const delivery = await deps.deliveries.get(id, scope);
    if (!delivery) throw notFound('delivery');
    return delivery;
  };

  router.get('/v1/deliveries', 'tenant', async (ctx) => {
    const q = parseInput(listDeliveriesQuery, ctx.query, 'query');
    ctx.body = pageToWire(await listDeliveries(deps, deliveryFilterOf(q), scopeOf(ctx), q), deliverySummaryToWire);
  });

  router.get('/v1/deliveries/:id', 'tenant', async (ctx) => {
    const delivery = await load(ctx.params.id!, scopeOf(ctx));
    // State first: an attempt is recorded before the workflow learns its outcome, so once the state
    // shows an outcome, the attempt log read after it includes that attempt.
    const state = await deps.reader.state(delivery.id);
    const attempts = await deps.deliveries.attempts(delivery.id);
    ctx.body = {
      id: delivery.id,
      event_id: delivery.eventId,
      endpoint_id: delivery.endpointId,
      tenant_id: delivery.tenantId,
      event_type: delivery.eventType,
      status: state?.status ?? 'pending',
      next_attempt_at: state?.nextAttemptAt ?? null,
      ...(state?.reason !== undefined && { reason: state.reason }),
      created_at: delivery.createdAt,
      temporal_ui_url: `${uiBase}/namespaces/${namespace}/workflows/${encodeURIComponent(delivery.id)}`,
      // The log spans every run: a manual retry of an ended delivery continues the same log.
      attempts: attempts.map(attemptToWire),
    };
  });

  router.post('/v1/deliveries/:id/retry', 'tenant', async (ctx) => {
    const delivery = await load(ctx.params.id!, scopeOf(ctx));
    await deps.starter.retryNow(delivery);
    ctx.status = 202;
    ctx.body = { id: delivery.id, retrying: true };
  });

  router.post('/v1/deliveries/:id/cancel', 'tenant', async (ctx) => {
    const delivery = await load(ctx.params.id!, scopeOf(ctx));
    // A delivery that shows a final status is over, even while its workflow finishes up.
    const state = await deps.reader.state(delivery.id);
    if (state && ['succeeded', 'failed', 'cancelled'].includes(state.status)) throw conflict(`the delivery has already ended (${state.status})`);
    try {
      await deps.temporal.workflow.getHandle(delivery.id).signal(cancelSignal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw conflict('the delivery has already ended');
      throw err;
    }
    ctx.status = 202;
    ctx.body = { id: delivery.id, cancelling: true };
  });
}
