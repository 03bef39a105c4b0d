import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable, isPodReady, podAvailableAt } from './pod-readiness.ts';

const now = Date.parse('2026-01-01T00:00:00Z');
const pod = (ready: boolean, readySince?: number): Pod => ({
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', ...(readySince !== undefined ? { lastTransitionTime: new Date(readySince).toISOString() } : {}) }] },
});

test('isPodReady reads the Ready condition', () => {
  assert.equal(isPodReady(pod(true)), true);
  assert.equal(isPodReady(pod(false)), false);
  assert.equal(isPodReady({}), false);
});

test('isPodAvailable needs Ready for strictly more than minReadySeconds', () => {
  const p = pod(true, now - 10_000);
  assert.equal(isPodAvailable(p, 0, now), true);
  assert.equal(isPodAvailable(p, 9, now), true);
  assert.equal(isPodAvailable(p, 10, now), false);
  assert.equal(isPodAvailable(pod(true), 5, now), false, 'no transition time');
  assert.equal(isPodAvailable(pod(false, now - 100_000), 0, now), false);
});

test('podAvailableAt is the first ms isPodAvailable holds', () => {
  const p = pod(true, now);
  const at = podAvailableAt(p, 5)!;
  assert.equal(isPodAvailable(p, 5, at - 1), false);
  assert.equal(isPodAvailable(p, 5, at), true);
  assert.equal(podAvailableAt(p, 0), undefined);
  assert.equal(podAvailableAt(pod(false, now), 5), undefined);
});
