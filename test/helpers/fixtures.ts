import type { Stack } from './stack';

/** A tenant and one endpoint pointing at `url`; `endpoint` overrides the endpoint's settings. */
export async function createTenantWithEndpoint(stack: Stack, url: string, endpoint: Record<string, unknown> = {}) {
  const tenant = await stack.api('POST', '/v1/tenants', { name: 'Nexus Studios', alert_email: 'ops@nexus.example' });
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const created = await stack.api('POST', '/v1/endpoints', { tenant_id: tenant.body.id, url, event_types: ['*'], verify: false, ...endpoint });
  if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${JSON.stringify(created.body)}`);
  return { tenantId: tenant.body.id as string, endpoint: created.body };
}

/** Publishes one event and returns the 202 body: `{id, deliveries: [{id, endpoint_id}]}`. */
export async function publish(stack: Stack, tenantId: string, event: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await stack.api('POST', '/v1/events', { tenant_id: tenantId, type: 'design.exported', data: { design_id: 'd_1' }, ...event }, { headers });
  if (res.status !== 202) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; deliveries: { id: string; endpoint_id: string }[] };
}

/** Waits until the delivery's detail shows `status`, and returns that detail. */
export async function waitForStatus(stack: Stack, deliveryId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await stack.api('GET', `/v1/deliveries/${deliveryId}`);
    last = res.body;
    if (res.body?.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`delivery ${deliveryId} never reached ${status}; last: ${JSON.stringify(last)}`);
}
