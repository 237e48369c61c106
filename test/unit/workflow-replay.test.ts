import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
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

test('the workflow code replays every recorded history, so deliveries in flight survive an upgrade', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const histories = await recordedHistories();
  assert.ok(histories.length >= 12, `only ${histories.length} recorded histories`);
  const failures: string[] = [];
  // With the production worker's workflow interceptors (worker/create-worker.ts), which must not
  // change a command; their sink is called during replay too.
  let timersSeen = 0;
  const options = {
    workflowsPath: require.resolve('../../workflows'),
    interceptors: { workflowModules: [require.resolve('../../workflows/interceptors')] },
    sinks: {
      metrics: { deliveryEnded: { fn: () => undefined }, deliveryStalled: { fn: () => undefined } },
      cache: { timerStarted: { fn: () => void timersSeen++, callDuringReplay: true } },
    },
  };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(timersSeen > 0, 'the timer interceptor did not run');
});
