import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedFrequencyRunner } from './bounded-frequency-runner.ts';
import { FakeClock } from '../../clock/fake-clock.ts';

function setup(fnMs = 0) {
  const clock = new FakeClock();
  const start = clock.now();
  const runs: { at: number; periodic: boolean }[] = [];
  const runner = new BoundedFrequencyRunner(
    async (periodic) => {
      runs.push({ at: clock.now() - start, periodic });
      if (fnMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, fnMs));
    },
    { clock, minIntervalMs: 500, maxIntervalMs: 30_000, burst: 2 },
  );
  return { clock, runs, runner };
}

test('BoundedFrequencyRunner coalesces asks of one tick into one run, at once', async () => {
  const { clock, runs, runner } = setup();
  runner.start();
  runner.run();
  runner.run();
  runner.run();
  await clock.advance(0);
  assert.deepEqual(runs, [{ at: 0, periodic: false }]);
  await runner.stop();
});

test('BoundedFrequencyRunner allows a burst of two, then one run per min interval, latest state winning', async () => {
  const { clock, runs, runner } = setup();
  runner.start();
  for (let i = 0; i < 10; i++) {
    runner.run();
    await clock.advance(10);
  }
  // 0 and 10 use the burst; the rest fold into runs as tokens come back (one per 500 ms).
  assert.deepEqual(
    runs.map((r) => r.at),
    [0, 10],
  );
  await clock.advance(1000);
  assert.deepEqual(
    runs.map((r) => r.at),
    [0, 10, 500],
  );
  await runner.stop();
});

test('BoundedFrequencyRunner never runs twice at once and runs again after an ask during a run', async () => {
  const { clock, runs, runner } = setup(200);
  runner.start();
  runner.run();
  await clock.advance(50);
  runner.run();
  runner.run();
  await clock.advance(1000);
  assert.deepEqual(
    runs.map((r) => r.at),
    [0, 200],
  );
  await runner.stop();
});

test('BoundedFrequencyRunner runs periodically, and a retry is periodic', async () => {
  const { clock, runs, runner } = setup();
  runner.start();
  await clock.advance(30_000);
  assert.deepEqual(runs, [{ at: 30_000, periodic: true }]);
  runner.retryAfter(1000);
  await clock.advance(1000);
  assert.deepEqual(runs.at(-1), { at: 31_000, periodic: true });
  await runner.stop();
});

test('BoundedFrequencyRunner keeps an ask made before start, and does nothing after stop', async () => {
  const { clock, runs, runner } = setup();
  runner.run();
  await clock.advance(100);
  assert.equal(runs.length, 0);
  runner.start();
  await clock.advance(0);
  assert.equal(runs.length, 1);
  await runner.stop();
  runner.run();
  await clock.advance(60_000);
  assert.equal(runs.length, 1);
  assert.deepEqual(clock.pendingDelays, []);
});
