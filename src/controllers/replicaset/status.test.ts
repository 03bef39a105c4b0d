import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { calculateStatus, statusNeedsUpdate } from './status.ts';

const now = Date.parse('2026-01-01T00:01:00Z');

function rs(replicas: number, status: ReplicaSet['status'] = { replicas: 0 }, minReadySeconds = 0): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } } } },
    status,
  } as ReplicaSet;
}

function pod(labels: Record<string, string>, readySince?: string): Pod {
  return {
    metadata: { labels },
    status: { phase: 'Running', conditions: readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] : [] },
  } as Pod;
}

test('calculateStatus counts replicas, fully labeled, ready and available pods', () => {
  const pods = [pod({ app: 'web', tier: 'x' }, '2026-01-01T00:00:00Z'), pod({ app: 'web' }, '2026-01-01T00:00:55Z'), pod({ app: 'web', tier: 'x' })];
  assert.deepEqual(calculateStatus(rs(3, { replicas: 0 }, 10), pods, undefined, now), {
    replicas: 3,
    fullyLabeledReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 1,
  });
});

test('calculateStatus sets ReplicaFailure by the direction of the shortfall, keeps an existing one, and clears it without error', () => {
  const err = new Error('boom');
  const short = calculateStatus(rs(2), [], err, now);
  assert.deepEqual(short.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2026-01-01T00:01:00Z', reason: 'FailedCreate', message: 'boom' }]);
  const surplus = calculateStatus(rs(0), [pod({ app: 'web' })], err, now);
  assert.equal(surplus.conditions?.[0].reason, 'FailedDelete');
  const existing = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'FailedCreate', message: 'old' };
  assert.deepEqual(calculateStatus(rs(2, { replicas: 0, conditions: [existing] }), [], new Error('new'), now).conditions, [existing], 'kept as is');
  assert.equal(calculateStatus(rs(2, { replicas: 0, conditions: [existing] }), [], undefined, now).conditions, undefined, 'cleared');
});

test('statusNeedsUpdate is false only when counts, conditions and the observed generation all match', () => {
  const cur = rs(1, { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 });
  assert.equal(statusNeedsUpdate(cur, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0 }), false);
  assert.equal(statusNeedsUpdate(cur, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1 }), true);
  assert.equal(statusNeedsUpdate(rs(1, { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 }), { replicas: 1, fullyLabeledReplicas: 1 }), true, 'new generation');
});
