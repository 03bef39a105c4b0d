import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock/fake-clock.ts';
import { PodWorkers } from './pod-workers.ts';

test('a pod worker resyncs its pod 1 to 1.5 resync periods after its last sync, with the jitter drawn each time', async () => {
  const clock = new FakeClock();
  const syncs: number[] = [];
  const draws = [0, 0.99];
  const workers = new PodWorkers(async () => (syncs.push(clock.now()), {}), { clock, resyncMs: 60_000, random: () => draws.shift() ?? 0.5 });
  const t0 = clock.now();
  workers.update('a');
  await clock.settle();
  await clock.advance(59_999);
  assert.equal(syncs.length, 1, 'not before the period');
  await clock.advance(1);
  assert.deepEqual(syncs.map((t) => t - t0), [0, 60_000]);
  await clock.advance(89_699);
  assert.equal(syncs.length, 2, 'the second wait is stretched by the jitter (0.99 × 0.5 × 60 s)');
  await clock.advance(1);
  assert.deepEqual(syncs.map((t) => t - t0), [0, 60_000, 60_000 + 89_700]);
  await workers.stop();
});

test('a pod worker keeps its own requeue when it is earlier than the resync, and has no resync without a period', async () => {
  const clock = new FakeClock();
  const syncs: number[] = [];
  const workers = new PodWorkers(async () => (syncs.push(clock.now()), { requeueAfterMs: 5_000 }), { clock, resyncMs: 60_000, random: () => 0 });
  workers.update('a');
  await clock.advance(10_000);
  assert.equal(syncs.length, 3);
  await workers.stop();

  const plain: number[] = [];
  const none = new PodWorkers(async () => (plain.push(clock.now()), {}), { clock });
  none.update('b');
  await clock.advance(600_000);
  assert.equal(plain.length, 1);
  assert.equal(clock.pendingTimers, 0);
  await none.stop();
});
