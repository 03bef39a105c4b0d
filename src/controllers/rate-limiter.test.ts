import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock/fake-clock.ts';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter } from './rate-limiter.ts';

test('ItemExponentialFailureRateLimiter doubles per key from the base up to the cap, and forget starts over', () => {
  const r = new ItemExponentialFailureRateLimiter(5, 1000_000);
  const delays = Array.from({ length: 20 }, () => r.when('a'));
  assert.deepEqual(delays.slice(0, 5), [5, 10, 20, 40, 80]);
  assert.equal(delays[17], 655_360);
  assert.equal(delays[18], 1000_000, '5 ms · 2^18 is past 1000 s: capped');
  assert.equal(r.numRequeues('a'), 20);
  assert.equal(r.when('b'), 5, 'keys back off independently');
  r.forget('a');
  assert.equal(r.numRequeues('a'), 0);
  assert.equal(r.when('a'), 5);
});

test('BucketRateLimiter lets a burst through at once, then spaces retries at its rate and refills with time', () => {
  const clock = new FakeClock(0);
  const r = new BucketRateLimiter(10, 3, clock);
  assert.deepEqual([r.when('a'), r.when('b'), r.when('c')], [0, 0, 0]);
  assert.equal(r.when('d'), 100);
  assert.equal(r.when('e'), 200);
  clock.step(1000);
  // 10 tokens came in, the bucket holds 3, two were owed.
  assert.deepEqual([r.when('f'), r.when('g'), r.when('h'), r.when('i')], [0, 0, 0, 100]);
  assert.equal(r.numRequeues('a'), 0);
});

test('MaxOfRateLimiter answers the longest delay and forgets in every limiter', () => {
  const clock = new FakeClock(0);
  const r = new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1000), new BucketRateLimiter(10, 1, clock));
  assert.equal(r.when('a'), 5);
  assert.equal(r.when('a'), 100, 'the empty bucket waits longer than 10 ms');
  assert.equal(r.numRequeues('a'), 2);
  r.forget('a');
  assert.equal(r.numRequeues('a'), 0);
});

test('defaultControllerRateLimiter starts at 5 ms and reaches 1000 s for a key that keeps failing', () => {
  const clock = new FakeClock(0);
  const r = defaultControllerRateLimiter(clock);
  assert.equal(r.when('k'), 5);
  let last = 0;
  for (let i = 0; i < 30; i++) {
    clock.step(1000_000);
    last = r.when('k');
  }
  assert.equal(last, 1000_000);
});
