import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock/fake-clock.ts';
import { RateLimitingQueue } from './rate-limiting-queue.ts';

test('RateLimitingQueue retries a failing key after 5, 10, 20 ms and starts over after forget', async () => {
  const clock = new FakeClock(0);
  const q = new RateLimitingQueue(clock);
  const retriedAt: number[] = [];
  q.add('k');
  for (let i = 0; i < 3; i++) {
    const key = (await q.get())!;
    q.addRateLimited(key);
    q.done(key);
    while (q.len() === 0) clock.step(1);
    retriedAt.push(clock.now());
  }
  assert.deepEqual(retriedAt, [5, 15, 35]);
  assert.equal(q.numRequeues('k'), 3);
  const key = (await q.get())!;
  q.forget(key);
  q.done(key);
  assert.equal(q.numRequeues('k'), 0);
  q.addRateLimited('k');
  clock.step(5);
  assert.equal(q.len(), 1);
});

test('RateLimitingQueue backs keys off independently', () => {
  const clock = new FakeClock(0);
  const q = new RateLimitingQueue(clock);
  for (let i = 0; i < 4; i++) q.addRateLimited('slow');
  q.addRateLimited('fresh');
  clock.step(5);
  assert.equal(q.len(), 2, 'slow came due with its first (earliest) time, fresh after 5 ms');
  assert.equal(q.numRequeues('slow'), 4);
  assert.equal(q.numRequeues('fresh'), 1);
});
