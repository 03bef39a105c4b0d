import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { nextBackoffRecord, remainingBackoffMs } from './backoff.ts';

test('remainingBackoffMs doubles from 10 s per failure since the last success, capped at 10 minutes (v1.33 MaxJobPodFailureBackOff)', () => {
  const table: [failures: number, backoffMs: number][] = [
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [5, 160_000],
    [6, 320_000],
    [7, 600_000],
    [20, 600_000],
  ];
  for (const [failures, ms] of table) assert.equal(remainingBackoffMs(failures, 1000, 1000), ms, `${failures} failures`);
});

test('remainingBackoffMs counts the time since the last failure, and is 0 once it passed', () => {
  assert.equal(remainingBackoffMs(2, 0, 5_000), 15_000);
  assert.equal(remainingBackoffMs(2, 0, 20_000), 0);
  assert.equal(remainingBackoffMs(2, 0, 20_001), 0);
});

const pod = (phase: string, finishedAtMs: number): Pod => ({
  metadata: { name: `p${finishedAtMs}` },
  status: { phase, containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: new Date(finishedAtMs).toISOString() } } }] },
});

test('nextBackoffRecord adds new failures, and a success resets to the failures finished after it', () => {
  const empty = { key: 'k', failuresAfterLastSuccess: 0 };
  const r1 = nextBackoffRecord(empty, [], [pod('Failed', 1000), pod('Failed', 3000)]);
  assert.deepEqual(r1, { key: 'k', failuresAfterLastSuccess: 2, lastFailureTime: 3000 });
  assert.deepEqual(nextBackoffRecord(r1, [pod('Succeeded', 5000)], []), { key: 'k', failuresAfterLastSuccess: 0 });
  assert.deepEqual(nextBackoffRecord(r1, [pod('Succeeded', 5000)], [pod('Failed', 4000), pod('Failed', 6000), pod('Failed', 7000)]), {
    key: 'k',
    failuresAfterLastSuccess: 2,
    lastFailureTime: 7000,
  });
  assert.equal(nextBackoffRecord(r1, [], []), r1);
});
