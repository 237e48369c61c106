import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { findTemporalCli } from '../../dev/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../../dev/temporal-dev-server';
import type { RetryPolicy } from '../../domain/retry-schedules';
import { stateQuery } from '../../workflows/delivery-definitions';
import { PERMANENT_ATTEMPT_FAULT, type AttemptOutcome, type DeliveryInput, type DeliveryState } from '../../workflows/delivery-types';
import type { HeraldSinks } from '../../workflows/sinks';
import { eventually } from '../helpers/eventually';

// The delivery workflow on a real Temporal dev server, with its activities replaced by scripted
// ones: what the workflow decides, step by step, without a database or a receiver.

type Step = 'ok' | 'fail' | 'fail-slow' | 'gone' | 'permanent' | 'infrastructure';
const RETRY_FAST: RetryPolicy = { delaysMs: [200, 200], jitter: 0 };
const RETRY_SLOW: RetryPolicy = { delaysMs: [60_000], jitter: 0 };

describe('the delivery workflow', () => {
  let server: TemporalDevServer;
  let connection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `workflow-test-${randomBytes(4).toString('hex')}`;
  const scripts = new Map<string, Step[]>();
  const calls: string[] = [];
  const ended: string[] = [];
  let stalls = 0;

  const outcomeOf = (step: Step): AttemptOutcome => {
    if (step === 'ok') return { result: 'succeeded', status: 200 };
    if (step === 'gone') return { result: 'gone', status: 410 };
    if (step === 'fail' || step === 'fail-slow') return { result: 'failed', status: 500, errorCode: 'http_status', retryPolicy: step === 'fail' ? RETRY_FAST : RETRY_SLOW };
    if (step === 'permanent') throw ApplicationFailure.create({ type: PERMANENT_ATTEMPT_FAULT, message: 'permanent error: the secret does not decrypt', nonRetryable: true });
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };

  const activities: Partial<Activities> = {
    async attemptDelivery(req) {
      calls.push(`attempt ${req.deliveryId} #${req.attemptNumber} ${req.trigger}`);
      const script = scripts.get(req.deliveryId)!;
      return outcomeOf(script.length > 1 ? script.shift()! : script[0]!);
    },
    async markEndpointFailing(input) {
      calls.push(`failing ${input.endpointId}`);
    },
    async sendFailureAlert(input) {
      calls.push(`mail ${input.deliveryId} ${input.reason}`);
      return true;
    },
    async publishWebhookFailed(input) {
      calls.push(`webhook.failed ${input.deliveryId} ${input.reason}`);
      return 'evt_x';
    },
    async notifyEndpointDisabled(endpointId) {
      calls.push(`disabled notice ${endpointId}`);
      return true;
    },
  };

  const sinks: InjectedSinks<HeraldSinks> = {
    metrics: {
      deliveryEnded: { fn: (_info, status) => void ended.push(status) },
      deliveryStalled: { fn: () => void stalls++ },
    },
    cache: { timerStarted: { fn: () => undefined } },
  };

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    server = await startTemporalDevServer({ cliPath: await findTemporalCli() });
    connection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
    worker = await Worker.create({ connection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities, sinks });
    running = worker.run();
  });
  after(async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await server.stop();
  });

  async function deliver(script: Step[], extra: Partial<DeliveryInput> = {}) {
    const deliveryId = `dlv_${randomBytes(6).toString('hex')}`;
    scripts.set(deliveryId, script);
    const input: DeliveryInput = { deliveryId, eventId: 'evt_1', endpointId: `ep_${deliveryId}`, tenantId: 'tnt_1', eventType: 'design.exported', firstAttemptNumber: 1, firstTrigger: 'scheduled', ordered: false, ...extra };
    const handle = await client.workflow.start('deliveryWorkflowV2', { workflowId: deliveryId, taskQueue, args: [input] });
    return { deliveryId, handle, result: () => handle.result() as Promise<DeliveryState> };
  }
  const callsOf = (deliveryId: string) => calls.filter((c) => c.includes(deliveryId) || c.includes(`ep_${deliveryId}`));

  it('succeeds at the first attempt and counts the delivery once', async () => {
    const { deliveryId, result } = await deliver(['ok']);
    const state = await result();
    assert.equal(state.status, 'succeeded');
    assert.deepEqual(callsOf(deliveryId), [`attempt ${deliveryId} #1 scheduled`]);
    await eventually(async () => (ended.filter((s) => s === 'succeeded').length >= 1 ? true : undefined));
  });

  it('retries on its schedule, then fails: health first, then the mail and webhook.failed in their own workflow', async () => {
    const { deliveryId, result } = await deliver(['fail']);
    const state = await result();
    assert.deepEqual([state.status, state.reason], ['failed', 'retries exhausted']);
    assert.deepEqual(state.attempts.map((a) => a.number), [1, 2, 3]);
    await eventually(async () => (callsOf(deliveryId).length === 6 ? true : undefined));
    const steps = callsOf(deliveryId);
    assert.equal(steps[3], `failing ep_${deliveryId}`, 'the endpoint turns failing before any side effect');
    assert.deepEqual(new Set(steps.slice(4)), new Set([`mail ${deliveryId} retries exhausted`, `webhook.failed ${deliveryId} retries exhausted`]));
  });

  it('ends failed at once on an attempt that can never run, with its reason', async () => {
    const { deliveryId, result } = await deliver(['permanent']);
    const state = await result();
    assert.deepEqual([state.status, state.reason], ['failed', 'permanent error: the secret does not decrypt']);
    assert.deepEqual(callsOf(deliveryId)[0], `attempt ${deliveryId} #1 scheduled`);
    assert.equal(callsOf(deliveryId).filter((c) => c.startsWith('attempt')).length, 1, 'not retried');
  });

  it('sends the disable notice instead of the failure mail for 410 Gone', async () => {
    const { deliveryId, result } = await deliver(['gone']);
    assert.equal((await result()).reason, 'gone');
    await eventually(async () => (callsOf(deliveryId).length === 4 ? true : undefined));
    assert.ok(callsOf(deliveryId).includes(`disabled notice ep_${deliveryId}`));
    assert.ok(!callsOf(deliveryId).some((c) => c.startsWith('mail')));
  });

  it('reports itself stalled while no attempt can run, and carries on when one can', async () => {
    const { deliveryId, handle, result } = await deliver(['infrastructure', 'infrastructure', 'infrastructure', 'ok'], { stallAfterMs: 1_500 });
    const stalled = await eventually(async () => {
      const state = await handle.query(stateQuery);
      return state.reason?.startsWith('stalled since') ? state : undefined;
    }, 20_000);
    assert.equal(stalled.status, 'delivering');
    assert.match(stalled.reason!, /ECONNREFUSED/);
    assert.ok(stalls >= 1);
    scripts.set(deliveryId, ['ok']);
    const state = await result();
    assert.equal(state.status, 'succeeded');
    assert.equal(state.reason, undefined, 'no longer stalled');
  });

  it('is cancelled by signal while it waits for a retry, and counted as cancelled', async () => {
    const { deliveryId, handle, result } = await deliver(['fail-slow']);
    await eventually(async () => ((await handle.query(stateQuery)).status === 'retrying' ? true : undefined));
    await handle.signal('cancel');
    const state = await result();
    assert.deepEqual([state.status, state.reason], ['cancelled', 'cancelled by request']);
    assert.ok(callsOf(deliveryId).length <= 2);
    await eventually(async () => (ended.includes('cancelled') ? true : undefined));
  });
});
