import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slow-start.ts';

test('slowStartBatch doubles batches and stops after the first batch with an error (upstream TestSlowStartBatch cases)', () => {
  const run = (count: number, failFrom: number) => {
    let calls = 0;
    const r = slowStartBatch(count, 1, () => {
      calls++;
      if (calls > failFrom) throw new Error(`fail ${calls}`);
    });
    return { calls, successes: r.successes, error: r.error?.message };
  };
  assert.deepEqual(run(10, Infinity), { calls: 10, successes: 10, error: undefined }, 'batches 1, 2, 4, 3');
  assert.deepEqual(run(10, 0), { calls: 1, successes: 0, error: 'fail 1' }, 'first batch fails');
  assert.deepEqual(run(10, 1), { calls: 3, successes: 1, error: 'fail 2' }, 'second batch (2 calls) finishes, then stops');
  assert.deepEqual(run(10, 3), { calls: 7, successes: 3, error: 'fail 4' }, 'third batch (4 calls) finishes');
  assert.deepEqual(run(0, Infinity), { calls: 0, successes: 0, error: undefined });
  assert.deepEqual(run(500, Infinity).calls, 500);
});
