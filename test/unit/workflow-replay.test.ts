import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { buildWorkflowBundle, workflowCodeOptions } from '../../worker/workflow-bundle';
import { historyFromPlainJson } from '../helpers/histories';

const HISTORIES = path.resolve(__dirname, '../fixtures/histories');

/** Every recorded history, from every version of the workflow code (scripts/record-histories.ts). */
async function recordedHistories() {
  const histories = [];
  for (const version of (await readdir(HISTORIES)).sort()) {
    for (const file of (await readdir(path.join(HISTORIES, version))).sort()) {
      const history = historyFromPlainJson(await readFile(path.join(HISTORIES, version, file), 'utf8'));
      histories.push({ workflowId: `${version}/${file}`, history });
    }
  }
  return histories;
}

/** Replays every recorded history on the given workflow code; the failures, and how many timers the interceptor saw. */
async function replayAll(code: ReturnType<typeof workflowCodeOptions>): Promise<{ failures: string[]; timersSeen: number }> {
  const histories = await recordedHistories();
  assert.ok(histories.length >= 12, `only ${histories.length} recorded histories`);
  const failures: string[] = [];
  // With the production worker's workflow interceptors (worker/create-worker.ts), which must not
  // change a command; their sink is called during replay too.
  let timersSeen = 0;
  const options = {
    ...code,
    sinks: {
      metrics: { deliveryEnded: { fn: () => undefined }, deliveryStalled: { fn: () => undefined } },
      cache: { timerStarted: { fn: () => void timersSeen++, callDuringReplay: true } },
    },
  };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return { failures, timersSeen };
}

test('the workflow code replays every recorded history, so deliveries in flight survive an upgrade', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { failures, timersSeen } = await replayAll(workflowCodeOptions(undefined));
  assert.deepEqual(failures, []);
  assert.ok(timersSeen > 0, 'the timer interceptor did not run');
});

test('a prebuilt workflow bundle (npm run build:workflows) replays them too, interceptors included', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'herald-replay-bundle-'));
  try {
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    await buildWorkflowBundle(bundlePath);
    const code = workflowCodeOptions(bundlePath);
    assert.deepEqual(code, { workflowBundle: { codePath: bundlePath } });
    const { failures, timersSeen } = await replayAll(code);
    assert.deepEqual(failures, []);
    assert.ok(timersSeen > 0, 'the bundled timer interceptor did not run');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
