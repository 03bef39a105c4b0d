import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protectionFinalizers } from './protection-finalizer.ts';

const F = 'kubernetes.io/pvc-protection';
const deleting = '2026-01-01T00:00:00Z';

test('protectionFinalizers adds the finalizer to a live object and removes it from a deleted one no longer in use', () => {
  assert.deepEqual(protectionFinalizers({ finalizers: ['a'] }, F, () => true), ['a', F]);
  assert.equal(protectionFinalizers({ finalizers: [F] }, F, () => true), undefined);
  assert.equal(protectionFinalizers({ finalizers: [F], deletionTimestamp: deleting }, F, () => true), undefined);
  assert.deepEqual(protectionFinalizers({ finalizers: ['a', F], deletionTimestamp: deleting }, F, () => false), ['a']);
  assert.equal(
    protectionFinalizers({ finalizers: ['a'], deletionTimestamp: deleting }, F, () => assert.fail('inUse asked without the finalizer')),
    undefined,
  );
});
