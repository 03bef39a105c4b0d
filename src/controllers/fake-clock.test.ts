import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from './clock.ts';
import { FakeClock } from './fake-clock.ts';

test('FakeClock step fires due timers in time order, including ones set while stepping', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => {
    fired.push(`a@${clock.now()}`);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
  }, 10);
  clock.setTimeout(() => fired.push('late'), 100);
  clock.step(30);
  assert.deepEqual(fired, ['a@10', 'c@15', 'b@20']);
  assert.equal(clock.now(), 30);
  assert.equal(clock.pendingTimers, 1);
});

test('FakeClock clearTimeout cancels a pending timer', () => {
  const clock = new FakeClock(0);
  let fired = false;
  const t = clock.setTimeout(() => (fired = true), 10);
  clock.clearTimeout(t);
  clock.step(20);
  assert.equal(fired, false);
});

test('sleep on a FakeClock resolves when time moves past it and rejects when its signal aborts', async () => {
  const clock = new FakeClock(0);
  let done = false;
  const slept = sleep(clock, 50).then(() => (done = true));
  await clock.advance(49);
  assert.equal(done, false);
  await clock.advance(1);
  await slept;
  assert.equal(done, true);

  const ac = new AbortController();
  const aborted = sleep(clock, 50, ac.signal);
  ac.abort(new Error('stopped'));
  await assert.rejects(aborted, /stopped/);
  assert.equal(clock.pendingTimers, 0);
});
