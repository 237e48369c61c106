// Records delivery workflow histories for the replay tests (test/unit/workflow-replay.test.ts):
//   npx tsx scripts/record-histories.ts <label>
// writes test/fixtures/histories/<label>/<scenario>.json from the workflow code in this tree. Run
// it before changing the workflow, so the histories of deliveries in flight during an upgrade are
// kept, and the replay tests prove that the new code still carries them on.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyToPlainJson } from '../test/helpers/histories';
import { createTenantWithEndpoint, publish, waitForStatus } from '../test/helpers/fixtures';
import { respond, startReceiver } from '../test/helpers/receiver';
import { startSmtpServer } from '../test/helpers/smtp';
import { startStack, type Stack } from '../test/helpers/stack';

type Scenario = (stack: Stack, hooks: Hooks) => Promise<string[]>;
type Hooks = { url(...script: Parameters<typeof startReceiver>): Promise<string> };

const SCENARIOS: Record<string, Scenario> = {
  async 'succeeded-first-attempt'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url());
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    return [deliveries[0]!.id];
  },
  async 'retried-then-succeeded'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(503, '', { 'retry-after': '1' }), respond(200)), { retry: { delays: ['1s'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    return [deliveries[0]!.id];
  },
  async 'exhausted-with-alert-and-webhook-failed'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(500)), { retry: { delays: ['1s'] }, event_types: ['design.*'] });
    await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: await hooks.url(), event_types: ['webhook.failed'], verify: false });
    const { deliveries } = await publish(stack, tenantId);
    const failed = deliveries.find((d) => d.endpoint_id !== undefined)!;
    await waitForStatus(stack, failed.id, 'failed');
    return [failed.id];
  },
  async 'gone-410'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(410)));
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'failed');
    return [deliveries[0]!.id];
  },
  async 'cancelled-while-retrying'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(500)), { retry: { delays: ['1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/cancel`);
    await waitForStatus(stack, deliveries[0]!.id, 'cancelled');
    return [deliveries[0]!.id];
  },
  async 'retry-now-signal'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(500), respond(200)), { retry: { delays: ['1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    await stack.api('POST', `/v1/deliveries/${deliveries[0]!.id}/retry`);
    await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    return [deliveries[0]!.id];
  },
  // In flight: recorded while the delivery waits on its retry timer, as an upgrade would find it.
  async 'in-flight-waiting-on-retry-timer'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(500)), { retry: { delays: ['1h', '1h'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');
    return [deliveries[0]!.id];
  },
  async 'fifo-second-waits-for-its-turn'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(respond(500), respond(200)), { ordering: 'fifo', retry: { delays: ['1s'] } });
    const first = await publish(stack, tenantId);
    const second = await publish(stack, tenantId);
    await waitForStatus(stack, second.deliveries[0]!.id, 'succeeded');
    return [first.deliveries[0]!.id, second.deliveries[0]!.id];
  },
  async 'rate-limited'(stack, hooks) {
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(), { rate_limit: { max: 1, per: '2s' } });
    const first = await publish(stack, tenantId);
    const second = await publish(stack, tenantId);
    await waitForStatus(stack, second.deliveries[0]!.id, 'succeeded');
    return [first.deliveries[0]!.id, second.deliveries[0]!.id];
  },
  async 'transform-error'(stack, hooks) {
    // Passes the dry run on a sample event, fails on this one.
    const { tenantId } = await createTenantWithEndpoint(stack, await hooks.url(), { transform: { jsonata: 'data.fail ? $error("boom") : data' } });
    const { deliveries } = await publish(stack, tenantId, { data: { fail: true } });
    await waitForStatus(stack, deliveries[0]!.id, 'failed');
    return [deliveries[0]!.id];
  },
};

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^[a-z0-9-]+$/.test(label)) throw new Error('usage: npx tsx scripts/record-histories.ts <label>  (e.g. v1)');
  const dir = path.resolve(__dirname, '../test/fixtures/histories', label);
  await mkdir(dir, { recursive: true });
  const smtp = await startSmtpServer();
  const stack = await startStack({ SMTP_URL: smtp.url });
  const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
  const hooks: Hooks = {
    async url(...script) {
      const receiver = await startReceiver(...script);
      receivers.push(receiver);
      return receiver.url;
    },
  };
  try {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      const ids = await scenario(stack, hooks);
      for (const [i, id] of ids.entries()) {
        const history = await stack.deps.temporal.workflow.getHandle(id).fetchHistory();
        const file = path.join(dir, `${name}${ids.length > 1 ? `-${i + 1}` : ''}.json`);
        await writeFile(file, `${historyToPlainJson(history)}\n`);
        console.log(`${file}: ${history.events?.length} events`);
      }
    }
  } finally {
    await Promise.all(receivers.map((r) => r.close()));
    await stack.stop();
    await smtp.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
