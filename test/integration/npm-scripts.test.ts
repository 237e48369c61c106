// `npm run api` under a supervisor that sends SIGTERM to the process it started, npm itself (as
// systemd with KillMode=process, or a process manager that tracks one pid, does): npm passes the
// signal only to its direct child, so Herald must be that child, not a shell or a launcher in
// between that would die and leave Herald running (README, "Production": stopping).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../dev/free-port';
import { startProcess } from '../../dev/managed-process';
import { eventually } from '../helpers/eventually';
import { startStack, type Stack } from '../helpers/stack';

const ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 60_000;
/** The API's drain and the worker's shutdown grace are longer, but nothing is in flight here. */
const EXIT_TIMEOUT_MS = 20_000;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

describe('npm run api, stopped by SIGTERM to npm alone', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('stops the API and its worker, and npm exits after them', async (t) => {
    const port = await freePort();
    const healthz = `http://127.0.0.1:${port}/healthz`;
    let shutdownLogged = false;
    // In a process group of its own (startProcess), so that whatever it leaves behind can be found.
    const npm = startProcess({
      name: 'npm run api',
      command: 'npm',
      args: ['run', '--silent', 'api'],
      cwd: ROOT,
      // A worker of its own on a queue of its own: the signal must reach it too.
      env: {
        ...process.env,
        ...stack.env,
        PORT: String(port),
        HERALD_API_WITH_WORKER: 'true',
        TEMPORAL_TASK_QUEUE: `npm-scripts-${port}`,
        HERALD_LOG_LEVEL: 'info',
      },
      onLine: (line) => (shutdownLogged ||= line.includes('shutting down')),
    });
    t.after(() => {
      // Whatever the script left running (what this test is about) must not outlive the test;
      // it would also hold the output pipes open and keep this process from ending.
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // the group is empty: nothing was left
      }
      npm.child.stdout?.destroy();
      npm.child.stderr?.destroy();
    });

    await eventually(async () => {
      assert.ok(npm.isRunning(), `npm run api exited before serving:\n${npm.outputTail()}`);
      return (await answers(healthz)) || undefined;
    }, READY_TIMEOUT_MS, 200).catch((err) => assert.fail(`npm run api did not serve: ${err}\n${npm.outputTail()}`));

    npm.child.kill('SIGTERM');
    // Unref'd: once npm has exited, a pending timeout must not hold the test process open.
    const timedOut = sleep(EXIT_TIMEOUT_MS, undefined, { ref: false }).then(() => assert.fail(`npm did not exit within ${EXIT_TIMEOUT_MS} ms:\n${npm.outputTail()}`));
    const exit = await Promise.race([npm.exited, timedOut]);
    assert.equal(exit, 'code 0', `npm exited with ${exit}:\n${npm.outputTail()}`);
    assert.ok(shutdownLogged, `the API ran its own graceful stop:\n${npm.outputTail()}`);
    assert.equal(await answers(healthz), false, 'nothing serves on the API port once npm has exited');
  });
});
