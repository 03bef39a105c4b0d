import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock/fake-clock.ts';
import { QueueController, type Reconcile } from './queue-controller.ts';
import { RateLimitingQueue } from './rate-limiting-queue.ts';

function setup(reconcile: Reconcile, workers = 1) {
  const clock = new FakeClock(0);
  const queue = new RateLimitingQueue(clock);
  const logs: string[] = [];
  const c = new QueueController({ name: 'test', queue, reconcile, workers, log: (m) => logs.push(m) });
  const ac = new AbortController();
  c.start(ac.signal);
  return { clock, queue, logs, c, ac };
}

test('QueueController reconciles added keys, never one key twice at once, and again when it changed meanwhile', async () => {
  const active = new Set<string>();
  const seen: string[] = [];
  let overlap = false;
  const gates: (() => void)[] = [];
  const { clock, queue, c } = setup(async (key) => {
    if (active.has(key)) overlap = true;
    active.add(key);
    seen.push(key);
    await new Promise<void>((r) => gates.push(r));
    active.delete(key);
  }, 3);
  queue.add('a');
  queue.add('b');
  await clock.settle();
  queue.add('a');
  await clock.settle();
  assert.deepEqual(seen, ['a', 'b'], 'a third worker does not take a while a is processing');
  for (const open of gates.splice(0)) open();
  await clock.settle();
  assert.deepEqual(seen, ['a', 'b', 'a'], 'a changed while processing: reconciled once more');
  for (const open of gates.splice(0)) open();
  await clock.settle();
  assert.equal(overlap, false);
  c.stop();
});

test('QueueController retries a failing key with growing backoff and forgets it after it succeeds', async () => {
  let failures = 3;
  const at: number[] = [];
  const { clock, queue, logs, c } = setup(() => {
    at.push(clock.now());
    if (failures-- > 0) throw new Error('conflict');
  });
  queue.add('k');
  await clock.advance(100);
  assert.deepEqual(at, [0, 5, 15, 35]);
  assert.equal(queue.numRequeues('k'), 0, 'forgotten after the success');
  assert.deepEqual(logs[0], 'test: syncing "k" failed, will retry: conflict');
  c.stop();
});

test('QueueController adds a key again after the requeueAfterMs its reconcile asks for', async () => {
  const at: number[] = [];
  const { clock, queue, c } = setup(() => {
    at.push(clock.now());
    return at.length < 3 ? { requeueAfterMs: 1000 } : undefined;
  });
  queue.add('k');
  await clock.advance(10_000);
  assert.deepEqual(at, [0, 1000, 2000]);
  c.stop();
});

test('QueueController stops its workers with its signal or stop, idempotently', async () => {
  let n = 0;
  const { clock, queue, c, ac } = setup(() => {
    n++;
  });
  ac.abort();
  c.stop();
  queue.add('k');
  await clock.settle();
  assert.equal(n, 0);
  assert.equal(queue.shuttingDown, true);
});
