import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { findMatchingUntoleratedTaint, noScheduleOrNoExecute, toleratesTaint } from './taints.ts';

test('toleratesTaint matches key, value and effect as Toleration.ToleratesTaint does', () => {
  const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases: [Toleration, boolean][] = [
    [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, true],
    [{ key: 'k', value: 'v' }, true],
    [{ key: 'k', value: 'w' }, false],
    [{ key: 'k', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: 'k', operator: 'Lt', value: 'v' }, false],
  ];
  for (const [t, want] of cases) assert.equal(toleratesTaint(t, taint), want, JSON.stringify(t));
});

test('findMatchingUntoleratedTaint returns the first filtered taint no toleration tolerates', () => {
  const taints: Taint[] = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'a', effect: 'NoSchedule' },
    { key: 'b', effect: 'NoExecute' },
  ];
  assert.equal(findMatchingUntoleratedTaint(taints, [], noScheduleOrNoExecute)?.key, 'a');
  assert.equal(findMatchingUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }], noScheduleOrNoExecute)?.key, 'b');
  assert.equal(findMatchingUntoleratedTaint(taints, [{ operator: 'Exists' }], noScheduleOrNoExecute), undefined);
  assert.equal(findMatchingUntoleratedTaint(undefined, undefined, noScheduleOrNoExecute), undefined);
});
