import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startWebhookReceiver, type RunningReceiver } from '../../dev/receiver';
import { eventually } from '../helpers/eventually';
import { publish } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';

// `npm run receiver` against a real Herald: README "A first delivery", step by step.

describe('npm run receiver', () => {
  const harness = useStack();
  const receivers: RunningReceiver[] = [];
  let tenantId: string;

  const start = async (opts: Parameters<typeof startWebhookReceiver>[0]) => {
    const lines: string[] = [];
    const receiver = await startWebhookReceiver({ port: 0, log: (line) => lines.push(line), ...opts });
    receivers.push(receiver);
    return { receiver, lines };
  };
  const printed = (lines: string[], pattern: RegExp) => eventually(async () => (lines.some((l) => pattern.test(l)) ? true : undefined), 20_000);

  before(async () => {
    const tenant = await harness.stack.api('POST', '/v1/tenants', { name: 'Nexus Studios', alert_email: 'ops@nexus.example' });
    tenantId = tenant.body.id;
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('with the secret the endpoint is created with: verification passes, and the first delivery prints and verifies', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { receiver, lines } = await start({ secret });
    const created = await harness.stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: receiver.url, event_types: ['design.*'], secret });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'active', 'the signed webhook.verification got a 2xx');
    assert.match(lines[0]!, /webhook\.verification[\s\S]*signature OK \(v1\)/);

    const { deliveries } = await publish(harness.stack, tenantId, { type: 'design.exported', data: { design_id: 'd_42' } });
    await printed(lines, new RegExp(`design\\.exported ${deliveries[0]!.id}\\n {2}signature OK \\(v1\\)\\n[\\s\\S]*"design_id": "d_42"`));
  });

  it('with another secret it answers 401, so the endpoint stays pending verification', async () => {
    const { receiver, lines } = await start({ secret: `whsec_${randomBytes(32).toString('base64')}` });
    const created = await harness.stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: receiver.url, event_types: ['design.*'] });
    assert.equal(created.body.status, 'pending_verification');
    assert.match(lines[0]!, /webhook\.verification[\s\S]*signature INVALID/);
  });

  it("fetches an Ed25519 endpoint's public key from Herald with --endpoint and verifies v1a", async () => {
    const created = await harness.stack.api('POST', '/v1/endpoints', {
      tenant_id: tenantId,
      url: 'http://127.0.0.1:9/not-yet',
      event_types: ['design.*'],
      signature: { scheme: 'standard-webhooks-ed25519' },
      verify: false,
    });
    const { receiver, lines } = await start({ source: { api: harness.stack.baseUrl, key: harness.stack.adminKey, endpoint: created.body.id } });
    assert.equal((await harness.stack.api('PATCH', `/v1/endpoints/${created.body.id}`, { url: receiver.url })).status, 200);
    const test = await harness.stack.api('POST', `/v1/endpoints/${created.body.id}/test`, {});
    assert.equal(test.body.status, 200, JSON.stringify(test.body));
    assert.match(lines.at(-1)!, /signature OK \(v1a\)/);
  });
});
