import { test } from 'node:test';
import assert from 'node:assert/strict';
import { every, sleep } from './clock.ts';
import { FakeClock } from './fake-clock.ts';

test('sleep resolves when the clock reaches its end, not before', async () => {
  const clock = new FakeClock();
  let done = false;
  const p = sleep(clock, 1000).then(() => (done = true));
  clock.step(999);
  await clock.settle();
  assert.equal(done, false);
  clock.step(1);
  await p;
  assert.equal(done, true);
  assert.equal(clock.pendingTimers, 0);
});

test('sleep rejects with the abort reason and cancels its timer when the signal aborts', async () => {
  const clock = new FakeClock();
  const ac = new AbortController();
  const p = sleep(clock, 1000, ac.signal);
  ac.abort(new Error('stopped'));
  await assert.rejects(p, /stopped/);
  assert.equal(clock.pendingTimers, 0);
  await assert.rejects(sleep(clock, 1000, ac.signal), /stopped/, 'an aborted signal rejects at once');
});

test('every calls its function once per period until stopped', () => {
  const clock = new FakeClock();
  const at: number[] = [];
  const start = clock.now();
  const stop = every(clock, 10_000, () => at.push(clock.now() - start));
  clock.step(35_000);
  assert.deepEqual(at, [10_000, 20_000, 30_000]);
  stop();
  clock.step(60_000);
  assert.equal(at.length, 3);
  assert.equal(clock.pendingTimers, 0);
});
