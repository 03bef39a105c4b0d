import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayingQueue } from './delaying-queue.ts';
import { FakeClock } from '../clock/fake-clock.ts';

test('DelayingQueue addAfter adds the key once its time passed on the clock', async () => {
  const clock = new FakeClock(0);
  const q = new DelayingQueue(clock);
  q.addAfter('a', 100);
  q.addAfter('b', 50);
  q.addAfter('now', 0);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'now');
  clock.step(49);
  assert.equal(q.len(), 0);
  clock.step(1);
  assert.equal(q.len(), 1);
  clock.step(50);
  assert.equal(await q.get(), 'b');
  assert.equal(await q.get(), 'a');
  assert.equal(q.waitingLen(), 0);
  assert.equal(clock.pendingTimers, 0);
});

test('DelayingQueue keeps the earlier time when a waiting key is added after again', () => {
  const clock = new FakeClock(0);
  const q = new DelayingQueue(clock);
  q.addAfter('a', 100);
  q.addAfter('a', 300);
  assert.equal(q.waitingLen(), 1);
  clock.step(100);
  assert.equal(q.len(), 1);
  q.addAfter('c', 200);
  q.addAfter('c', 20);
  clock.step(20);
  assert.equal(q.len(), 2, 'the earlier time replaced the later one');
  clock.step(500);
  assert.equal(q.len(), 2, 'the superseded time adds nothing');
});

test('DelayingQueue fires many keys in time order with one timer', () => {
  const clock = new FakeClock(0);
  const q = new DelayingQueue<number>(clock);
  const order = [50, 10, 40, 20, 30, 60, 5];
  for (const ms of order) q.addAfter(ms, ms);
  assert.equal(clock.pendingTimers, 1);
  const seen: number[] = [];
  for (let t = 0; t < 60; t += 5) {
    clock.step(5);
    void q.get().then((k) => seen.push(k!));
  }
  return new Promise<void>((r) => setImmediate(r)).then(() => assert.deepEqual(seen, [5, 10, 20, 30, 40, 50, 60]));
});

test('DelayingQueue shutDown drops waiting keys and cancels its timer', async () => {
  const clock = new FakeClock(0);
  const q = new DelayingQueue(clock);
  q.addAfter('a', 100);
  q.shutDown();
  assert.equal(clock.pendingTimers, 0);
  q.addAfter('b', 10);
  clock.step(200);
  assert.equal(await q.get(), undefined);
});
