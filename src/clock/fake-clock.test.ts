import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './fake-clock.ts';

test('FakeClock.step fires due timers in time order at their own instants, including ones set while stepping', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => {
    fired.push(`a@${clock.now()}`);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
  }, 10);
  const late = clock.setTimeout(() => fired.push('late'), 100);
  clock.step(50);
  assert.deepEqual(fired, ['a@10', 'c@15', 'b@20']);
  assert.equal(clock.now(), 50);
  clock.clearTimeout(late);
  clock.step(100);
  assert.deepEqual(fired, ['a@10', 'c@15', 'b@20'], 'a cleared timer never fires');
});

test('FakeClock.advance lets the promise chain a timer starts settle before the next timer fires', async () => {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const schedule = (n: number) =>
    clock.setTimeout(async () => {
      log.push(`start ${n}@${clock.now()}`);
      await Promise.resolve();
      log.push(`end ${n}`);
      if (n < 3) schedule(n + 1);
    }, 10);
  schedule(1);
  await clock.advance(25);
  assert.deepEqual(log, ['start 1@10', 'end 1', 'start 2@20', 'end 2']);
  assert.equal(clock.now(), 25);
});
