import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { heartbeating } from '../../activities/heartbeat';
import { findTemporalCli } from '../../dev/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../../dev/temporal-dev-server';
import type { maintenanceWorkflow } from '../../workflows/maintenance';

// The maintenance workflow on a real Temporal dev server, with scripted activities: an attempt
// that goes silent (as one whose completion was lost while Temporal was down) is retried after the
// heartbeat timeout, not after the 5-minute start-to-close timeout that held the outbox sweep.

/** Longer than the workflow's 10 s heartbeat timeout. */
const SLOW_WORK_MS = 13_000;

describe('the maintenance workflow', () => {
  let server: TemporalDevServer;
  let connection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `maintenance-test-${randomBytes(4).toString('hex')}`;
  const attempts: string[] = [];
  let releaseSilent: () => void = () => undefined;
  const silent = new Promise<void>((resolve) => (releaseSilent = resolve));

  const workflowId = () => Context.current().info.workflowExecution?.workflowId ?? '';

  /** By workflow id: `silent-*` goes quiet on its first attempt, `slow-*` works past the heartbeat timeout. */
  async function startStrandedDeliveries(): Promise<number> {
    const { attempt } = Context.current().info;
    attempts.push(`${workflowId()} #${attempt}`);
    if (workflowId().startsWith('silent-') && attempt === 1) {
      await silent;
      return -1;
    }
    if (workflowId().startsWith('slow-')) await sleep(SLOW_WORK_MS);
    return 7;
  }

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    server = await startTemporalDevServer({ cliPath: await findTemporalCli() });
    connection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
    const scripted: Partial<Activities> = {
      disableLongFailingEndpoints: async () => [],
      deleteExpiredEvents: async () => 0,
    };
    // The silent attempt stands for a worker that stopped reporting, so it must not heartbeat;
    // the slow one is wrapped as the worker wraps the real activities (activities/index.ts).
    const slowOnes = heartbeating({ startStrandedDeliveries });
    worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        ...scripted,
        startStrandedDeliveries: () => (workflowId().startsWith('slow-') ? slowOnes.startStrandedDeliveries() : startStrandedDeliveries()),
      },
    });
    running = worker.run();
  });

  after(async () => {
    releaseSilent();
    worker?.shutdown();
    await running;
    await connection?.close();
    await server?.stop();
  });

  it('retries a silent activity after its heartbeat timeout and keeps a heartbeating slow one', async () => {
    const id = randomBytes(3).toString('hex');
    const run = (workflowId: string) => client.workflow.execute<typeof maintenanceWorkflow>('maintenanceWorkflow', { workflowId, taskQueue, workflowRunTimeout: '60s' });
    const began = Date.now();
    const [silentResult, slowResult] = await Promise.all([run(`silent-${id}`), run(`slow-${id}`)]);
    const seconds = (Date.now() - began) / 1000;
    assert.equal(silentResult.strandedDeliveries, 7, 'the second attempt swept');
    assert.equal(slowResult.strandedDeliveries, 7);
    assert.deepEqual(attempts.filter((a) => a.includes(id)).sort(), [`silent-${id} #1`, `silent-${id} #2`, `slow-${id} #1`]);
    assert.ok(seconds < 40, `both ran within the heartbeat timeout's reach (${seconds} s), not the 5-minute start-to-close timeout`);
  });
});
