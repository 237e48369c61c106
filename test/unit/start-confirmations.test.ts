import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStartConfirmations } from '../../temporal/start-confirmations';

test('confirms the starts of one short window with one write, and drains what is pending', async () => {
  const writes: string[][] = [];
  const confirmations = createStartConfirmations(async (ids) => void writes.push(ids), (err) => assert.fail(String(err)), 20);
  confirmations.confirm(['a']);
  confirmations.confirm(['b', 'c']);
  confirmations.confirm([]);
  await new Promise((r) => setTimeout(r, 60));
  confirmations.confirm(['d']);
  await confirmations.drain();
  assert.deepEqual(writes, [['a', 'b', 'c'], ['d']]);
});

test('hands a failed write to onError and carries on', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const confirmations = createStartConfirmations(
    async () => {
      if (calls++ === 0) throw new Error('PostgreSQL is down');
    },
    (err) => errors.push(err),
    5,
  );
  confirmations.confirm(['a']);
  await confirmations.drain();
  confirmations.confirm(['b']);
  await confirmations.drain();
  assert.equal(errors.length, 1);
  assert.equal(calls, 2);
});
