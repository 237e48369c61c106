import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import { respond, startReceiver } from '../helpers/receiver';
import type { Stack } from '../helpers/stack';

describe('a misbehaving receiver', () => {
  const harness = useStack();
  let stack: Stack;
  before(() => {
    stack = harness.stack;
  });

  async function deliverOnceTo(script: Parameters<typeof startReceiver>, endpoint: Record<string, unknown> = {}) {
    const hook = await harness.receiver(...script);
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url, { retry: { preset: 'none' }, ...endpoint });
    const { deliveries } = await publish(stack, tenantId);
    return { hook, detail: await waitForStatus(stack, deliveries[0]!.id, 'failed') };
  }

  it('fails on a 302 and does not follow it', async () => {
    const target = await harness.receiver();
    const { detail } = await deliverOnceTo([respond(302, '', { location: target.url })]);
    assert.equal(detail.attempts[0].response.status, 302);
    assert.equal(detail.attempts[0].error.code, 'http_status');
    assert.equal(target.requests.length, 0);
  });

  it('times out a receiver that never answers', async () => {
    const { detail } = await deliverOnceTo([() => undefined], { timeout: '1s' });
    assert.equal(detail.attempts[0].error.code, 'timeout');
    assert.equal(detail.attempts[0].response, null);
    assert.ok(detail.attempts[0].duration_ms >= 950 && detail.attempts[0].duration_ms < 5000, `took ${detail.attempts[0].duration_ms} ms`);
  });

  it('keeps only the first 4 KB of a 2 MB response body', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const hook = await harness.receiver(respond(200, big));
    const { tenantId } = await createTenantWithEndpoint(stack, hook.url);
    const { deliveries } = await publish(stack, tenantId);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.equal(detail.attempts[0].response.body.length, 4096);
  });

  it('counts a refused connection as a failed attempt', async () => {
    const closed = await startReceiver();
    await closed.close();
    const { tenantId } = await createTenantWithEndpoint(stack, closed.url, { retry: { preset: 'none' } });
    const { deliveries } = await publish(stack, tenantId);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'failed');
    assert.equal(detail.attempts[0].error.code, 'connection_refused');
  });
});
