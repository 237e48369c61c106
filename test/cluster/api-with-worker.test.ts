// The production option of running the API and a worker in one process (HERALD_API_WITH_WORKER),
// on the real Temporal server with deploy/temporal/: deliveries start eagerly on the API's own
// worker, and a SIGTERM lets an attempt in flight finish before the process exits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection, Client } from '@temporalio/client';
import { startTestCluster, waitFor, type TestCluster } from './harness';
import { always, startRecordingReceiver, type RecordingReceiver } from './recording-receiver';

const FAST = '/fast';
const SLOW = '/slow';
/** Long enough to send SIGTERM while the attempt waits for the answer. */
const SLOW_HOLD_MS = 3_000;

describe('an API process with HERALD_API_WITH_WORKER=true and no other worker', () => {
  let tc: TestCluster;
  let receiver: RecordingReceiver;
  let temporal: Connection;
  let tenantId: string;

  before(async () => {
    receiver = await startRecordingReceiver({ [FAST]: always(200, 0), [SLOW]: always(200, SLOW_HOLD_MS) });
    tc = await startTestCluster({ apis: 1, workers: 0, env: { HERALD_API_WITH_WORKER: 'true' } });
    temporal = await Connection.connect({ address: tc.cluster.temporalAddress });
    const tenant = await tc.api('POST', '/v1/tenants', { name: 'Together', alert_email: 'ops@together.example' });
    assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
    tenantId = tenant.body.id;
    for (const [url, type] of [[FAST, 'fast.*'], [SLOW, 'slow.*']] as const) {
      const endpoint = await tc.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: receiver.url(url), event_types: [type], verify: false });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    }
  });

  after(async () => {
    await temporal?.close();
    await tc?.stop();
    await receiver?.close();
  });

  async function publish(type: string): Promise<string> {
    const res = await tc.api('POST', '/v1/events', { tenant_id: tenantId, type, data: { type } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.deliveries.length, 1);
    return res.body.deliveries[0].id;
  }

  it('delivers, with the first workflow task handed to its own worker in the start call', async () => {
    const deliveryId = await publish('fast.one');
    await waitFor(`delivery ${deliveryId} acknowledged`, () => (receiver.acknowledged(FAST).has(deliveryId) ? true : undefined), 30_000);
    const delivery = await waitFor(
      'the delivery reads as succeeded',
      async () => {
        const res = await tc.api('GET', `/v1/deliveries/${deliveryId}`);
        return res.body?.status === 'succeeded' ? res.body : undefined;
      },
      30_000,
    );
    assert.equal(delivery.attempts.length, 1);
    const { events } = await new Client({ connection: temporal }).workflow.getHandle(deliveryId).fetchHistory();
    const started = events?.[0]?.workflowExecutionStartedEventAttributes;
    assert.ok(started, 'the history begins with the start');
    // Without the server's system.enableEagerWorkflowStart, or without a worker in the API's
    // process, the server would queue the task for a poll and record false here.
    assert.equal(started.eagerExecutionAccepted, true);
  });

  it('finishes an attempt in flight on SIGTERM, then exits cleanly', async () => {
    const api = tc.cluster.apis[0]!;
    const deliveryId = await publish('slow.one');
    await waitFor('the slow attempt reaches the receiver', () => (receiver.hitsOf(deliveryId).length > 0 ? true : undefined), 30_000);
    const exit = await api.kill('SIGTERM');
    assert.equal(exit, 'code 0', api.outputTail());
    const hits = receiver.hitsOf(deliveryId);
    assert.equal(hits.length, 1, 'attempted once');
    assert.equal(hits[0]!.aborted, false, 'the attempt was answered, not cut off');
    assert.ok(receiver.acknowledged(SLOW).has(deliveryId));
    const { rows } = await tc.pool.query<{ status: number }>(`SELECT response_status AS status FROM delivery_attempts WHERE delivery_id = $1`, [deliveryId]);
    assert.deepEqual(rows, [{ status: 200 }], 'the answer is in the attempt log');
  });
});
