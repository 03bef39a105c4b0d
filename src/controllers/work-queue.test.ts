import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.ts';

test('WorkQueue hands keys out in order and dedupes a key added while it waits', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('WorkQueue never hands out a key that is processing, and re-queues it on done when it changed meanwhile', async () => {
  const q = new WorkQueue();
  q.add('a');
  const key = await q.get();
  assert.equal(key, 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'held back while processing');
  let second: string | undefined;
  const waiting = q.get().then((k) => (second = k));
  await new Promise((r) => setImmediate(r));
  assert.equal(second, undefined, 'a second worker does not get the processing key');
  q.done('a');
  await waiting;
  assert.equal(second, 'a', 'queued again once, after done');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('WorkQueue done without a change meanwhile does not re-queue the key', async () => {
  const q = new WorkQueue();
  q.add('a');
  await q.get();
  q.done('a');
  assert.equal(q.len(), 0);
  assert.equal(q.isProcessing('a'), false);
});

test('WorkQueue get waits for a key and resolves undefined when the queue shuts down', async () => {
  const q = new WorkQueue();
  const first = q.get();
  q.add('x');
  assert.equal(await first, 'x');
  const waiting = q.get();
  q.shutDown();
  q.shutDown();
  assert.equal(await waiting, undefined);
  q.add('y');
  assert.equal(await q.get(), undefined);
  assert.equal(q.len(), 0);
});
