import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.ts';
import { FakeClock } from '../../clock/fake-clock.ts';

test('backoff allows the first restart at once and then doubles from 10s to 300s', () => {
  const clock = new FakeClock();
  const b = new Backoff(10_000, 300_000, clock);
  const key = 'p_ns_uid_c_hash';
  const windows: number[] = [];
  // A container that crashes immediately after each start.
  for (let i = 0; i < 8; i++) {
    const finishedAt = clock.now();
    if (b.isInBackOffSince(key, finishedAt)) {
      const wait = b.remaining(key, finishedAt);
      windows.push(wait);
      clock.step(wait);
      assert.equal(b.isInBackOffSince(key, finishedAt), false);
    } else {
      windows.push(0);
    }
    b.next(key, finishedAt);
  }
  assert.deepEqual(windows, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
});

test('backoff applies the window exactly when checked one millisecond early', () => {
  const clock = new FakeClock();
  const b = new Backoff(10_000, 300_000, clock);
  b.next('k', clock.now());
  const finished = clock.now();
  clock.step(9_999);
  assert.equal(b.isInBackOffSince('k', finished), true);
  clock.step(1);
  assert.equal(b.isInBackOffSince('k', finished), false);
});

test('backoff resets after the container ran longer than twice the maximum', () => {
  const clock = new FakeClock();
  const b = new Backoff(10_000, 300_000, clock);
  b.next('k', clock.now());
  clock.step(10_000);
  b.next('k', clock.now());
  assert.equal(b.get('k'), 20_000);
  // Runs for 11 minutes, then crashes.
  clock.step(11 * 60_000);
  const finished = clock.now();
  assert.equal(b.isInBackOffSince('k', finished), false);
  b.next('k', finished);
  assert.equal(b.get('k'), 10_000);
});

test('backoff keys are independent', () => {
  const clock = new FakeClock();
  const b = new Backoff(10_000, 300_000, clock);
  b.next('a', clock.now());
  assert.equal(b.isInBackOffSince('a', clock.now()), true);
  assert.equal(b.isInBackOffSince('b', clock.now()), false);
});
