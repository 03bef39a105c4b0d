import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBackoff } from './restart-backoff.ts';

test('RestartBackoff doubles from 1 s up to 30 s while the child keeps failing', () => {
  const b = new RestartBackoff();
  const delays = Array.from({ length: 8 }, (_, i) => b.next(i * 100));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('RestartBackoff keeps growing when the child crashes soon after becoming ready', () => {
  const b = new RestartBackoff({ initialMs: 1000, maxMs: 30_000 });
  assert.equal(b.next(0), 1000);
  b.ready(1_000);
  assert.equal(b.next(5_000), 2000);
  b.ready(7_000);
  assert.equal(b.next(36_999), 4000);
});

test('RestartBackoff starts over after a run that stayed ready for the maximum delay', () => {
  const b = new RestartBackoff({ initialMs: 1000, maxMs: 30_000 });
  b.next(0);
  b.next(0);
  b.next(0);
  b.ready(10_000);
  assert.equal(b.next(40_000), 1000);
  assert.equal(b.next(40_100), 2000);
});
