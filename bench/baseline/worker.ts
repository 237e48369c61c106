// The baseline's worker process: its own task queue on the same Temporal server as Herald.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Agent } from 'undici';
import { DEFAULT_WORKER_CONCURRENCY } from '../../config/config';
import { createBaselineActivities } from './activities';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BASELINE_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and BASELINE_TASK_QUEUE are required');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const agent = new Agent({ pipelining: 1, keepAliveTimeout: 10_000 });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities: createBaselineActivities(agent),
      // Herald's worker allows this many attempts in flight by default; the rest is the SDK's default.
      maxConcurrentActivityTaskExecutions: DEFAULT_WORKER_CONCURRENCY,
    });
    // The worker stops itself on SIGINT/SIGTERM.
    await worker.run();
  } finally {
    await connection.close();
    await agent.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
