import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const PROBE = path.resolve(__dirname, '../helpers/heap-growth-probe.ts');

/** The largest heap the probe's workload committed, in a process of its own with these Node flags. */
async function largestHeapMb(nodeFlags: string[]): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, '--import', 'tsx', PROBE], { timeout: 60_000 });
  return (JSON.parse(stdout) as { largestHeapMb: number }).largestHeapMb;
}

test("a worker's process holds V8's heap growth to a factor of 2, unless Node was given its own", async () => {
  // A factor of 4 on the command line is what V8 itself picks for this workload, where memory looks plentiful.
  const own = await largestHeapMb(['--heap-growing-percent=300']);
  const limited = await largestHeapMb([]);
  assert.ok(limited < own * 0.8, `the heap reached ${limited} MB with the limit and ${own} MB with a factor of 4`);
});
