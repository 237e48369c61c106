import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import type { Receiver } from '../helpers/receiver';
import type { Stack } from '../helpers/stack';

describe('a first-time successful delivery', () => {
  const harness = useStack();
  let stack: Stack;
  let receiver: Receiver;
  before(async () => {
    stack = harness.stack;
    receiver = await harness.receiver();
  });

  it('is signed so the standardwebhooks library verifies it, and logged as one attempt', async () => {
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, receiver.url);
    const { secret } = (await stack.api('GET', `/v1/endpoints/${endpoint.id}/secret`)).body;
    assert.match(secret, /^whsec_/);

    const published = await publish(stack, tenantId, { type: 'design.exported', data: { design_id: 'd_42' } });
    assert.equal(published.deliveries.length, 1);
    const [request] = await receiver.waitFor(1);

    const payload = new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>) as Record<string, unknown>;
    assert.deepEqual(payload.data, { design_id: 'd_42' });
    assert.equal(payload.id, published.id);
    assert.equal(request!.headers['webhook-id'], published.deliveries[0]!.id);
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.match(String(request!.headers['user-agent']), /^Herald\//);

    const detail = await waitForStatus(stack, published.deliveries[0]!.id, 'succeeded');
    assert.equal(detail.attempts.length, 1);
    assert.equal(detail.attempts[0].response.status, 200);
    assert.equal(detail.attempts[0].trigger, 'scheduled');
    assert.match(detail.temporal_ui_url, /\/namespaces\/default\/workflows\/dlv_/);
  });

  it('signs an hmac-sha256 endpoint with a sha256= prefix over the raw body', async () => {
    const { tenantId, endpoint } = await createTenantWithEndpoint(stack, receiver.url, {
      signature: { scheme: 'hmac-sha256', header: 'X-Hub-Signature-256', prefix: 'sha256=', event_header: 'X-Event' },
      secret: 'a'.repeat(64),
    });
    const before = receiver.requests.length;
    await publish(stack, tenantId, { type: 'build-status-changed' });
    const request = (await receiver.waitFor(before + 1))[before]!;
    const expected = 'sha256=' + createHmac('sha256', 'a'.repeat(64)).update(request.body).digest('hex');
    assert.equal(request.headers['x-hub-signature-256'], expected);
    assert.equal(request.headers['x-event'], 'build-status-changed');
    assert.ok(endpoint.id);
  });

  it('signs a stripe-style endpoint as t=<unix>,v1=<hex hmac of "t.body">', async () => {
    const secret = 'b'.repeat(64);
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url, { signature: { scheme: 'stripe', header: 'Stripe-Signature' }, secret });
    const before = receiver.requests.length;
    await publish(stack, tenantId);
    const request = (await receiver.waitFor(before + 1))[before]!;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['stripe-signature']));
    assert.ok(match, `unexpected header ${request.headers['stripe-signature']}`);
    const expected = createHmac('sha256', secret).update(`${match[1]}.${request.body}`).digest('hex');
    assert.equal(match[2], expected);
    assert.ok(Math.abs(Number(match[1]) - Date.now() / 1000) < 30);
  });

  it('counts published events and attempts by outcome on /metrics', async () => {
    const value = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    // The counters move just after the receiver answers: wait for the third attempt to be counted.
    const text = await eventually(async () => {
      const res = await fetch(`${stack.baseUrl}/metrics`);
      assert.equal(res.status, 200);
      const body = await res.text();
      return value(body, /^herald_delivery_attempts_total\{outcome="succeeded",code="none"\} (\d+)/m) >= 3 ? body : undefined;
    });
    assert.ok(value(text, /^herald_events_published_total (\d+)/m) >= 3);
    assert.ok(value(text, /^herald_delivery_attempt_duration_seconds_count (\d+)/m) >= 3);
  });

  // Its own receiver: the delivery count below must not see the other tests' traffic.
  it('stores one event and delivers it once when the same key is sent twice', async () => {
    const receiver = await harness.receiver();
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url);
    const first = await publish(stack, tenantId, {}, { 'idempotency-key': 'order-42' });
    const second = await publish(stack, tenantId, {}, { 'idempotency-key': 'order-42' });
    assert.equal(second.id, first.id);
    assert.deepEqual(second.deliveries, first.deliveries);
    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(receiver.requests.length, 1);
    const stored = await stack.pool.query('SELECT count(*) AS n FROM events WHERE tenant_id = $1', [tenantId]);
    assert.equal(Number(stored.rows[0].n), 1);
    const deliveries = await stack.pool.query('SELECT count(*) AS n FROM deliveries WHERE tenant_id = $1', [tenantId]);
    assert.equal(Number(deliveries.rows[0].n), 1);
  });
});
