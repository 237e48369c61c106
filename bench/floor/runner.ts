// The design floor's process: a worker and the client that starts its workflows, in one Node
// process, as Herald runs under `npm start`. The benchmark sends {go} over IPC; the runner starts
// FLOOR_COUNT floor workflows, FLOOR_CONCURRENCY at a time, eagerly, and reports {started}.
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Agent } from 'undici';
import { closedLoop } from '../load';
import { DEFAULT_WORKER_CONCURRENCY } from '../../config/config';
import { createBaselineActivities } from '../baseline/activities';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS: address, FLOOR_TASK_QUEUE: taskQueue, FLOOR_URL: url, FLOOR_RUN_ID: runId } = process.env;
  const count = Number(process.env.FLOOR_COUNT);
  const concurrency = Number(process.env.FLOOR_CONCURRENCY);
  if (!address || !taskQueue || !url || !runId || !(count > 0) || !(concurrency > 0)) throw new Error('floor runner: missing settings');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const agent = new Agent({ pipelining: 1, keepAliveTimeout: 10_000 });
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('../baseline/workflows'),
    activities: createBaselineActivities(agent),
    // The same slots and pollers as Herald's worker by default (worker/create-worker.ts), so the
    // floor is the shape's cost, not a tuning difference.
    maxConcurrentLocalActivityExecutions: DEFAULT_WORKER_CONCURRENCY,
    maxConcurrentWorkflowTaskExecutions: DEFAULT_WORKER_CONCURRENCY,
    workflowTaskPollerBehavior: { type: 'autoscaling', maximum: 20 },
  });
  const running = worker.run();
  process.send?.({ ready: true });
  process.once('message', () => {
    void closedLoop(count, concurrency, Date.now() + 600_000, async (i) => {
      await client.workflow.start('floorWorkflow', { workflowId: `${runId}_${i}`, taskQueue, args: [url], requestEagerStart: true });
    }).then((load) => process.send?.({ started: load.done, errors: load.errors, firstError: load.firstError, startedAt: load.startedAt }));
  });
  // The worker stops itself on SIGINT/SIGTERM.
  await running;
  await connection.close();
  await agent.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
