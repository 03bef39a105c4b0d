import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { planAttemptToDelete, type Classification, type DeleteAction, type DependentsInfo } from './plan.ts';

const r = (uid: string): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });
const none: DependentsInfo = { count: 0, anyDeletingDependents: false };

// The branches of attemptToDeleteItem after classifyReferences.
const cases: { name: string; c: Partial<Classification>; finalizers?: string[]; deps?: DependentsInfo; want: DeleteAction }[] = [
  { name: 'a solid owner alone: nothing', c: { solid: [r('a')] }, want: { type: 'none' } },
  { name: 'a solid owner and a dangling one: the dangling reference goes', c: { solid: [r('a')], dangling: [r('b')] }, want: { type: 'removeOwnerRefs', uids: ['b'] } },
  {
    name: 'a solid owner, a dangling and a waiting one: both references go',
    c: { solid: [r('a')], dangling: [r('b')], waitingForDependentsDeletion: [r('c')] },
    want: { type: 'removeOwnerRefs', uids: ['b', 'c'] },
  },
  { name: 'only dangling owners: deleted in the background', c: { dangling: [r('a'), r('b')] }, want: { type: 'delete', policy: 'Background', unblockFirst: false } },
  { name: 'an orphan finalizer on the item is honoured', c: { dangling: [r('a')] }, finalizers: ['orphan'], want: { type: 'delete', policy: 'Orphan', unblockFirst: false } },
  {
    name: 'a foregroundDeletion finalizer on the item is honoured',
    c: { dangling: [r('a')] },
    finalizers: ['x', 'foregroundDeletion'],
    want: { type: 'delete', policy: 'Foreground', unblockFirst: false },
  },
  {
    name: 'a waiting owner and dependents of its own: deleted in the foreground',
    c: { waitingForDependentsDeletion: [r('a')] },
    deps: { count: 2, anyDeletingDependents: false },
    want: { type: 'delete', policy: 'Foreground', unblockFirst: false },
  },
  {
    name: 'a waiting owner and a dependent deleting its own dependents: unblock first (cycle)',
    c: { waitingForDependentsDeletion: [r('a')] },
    deps: { count: 1, anyDeletingDependents: true },
    want: { type: 'delete', policy: 'Foreground', unblockFirst: true },
  },
  { name: 'a waiting owner and no dependents: deleted in the background', c: { waitingForDependentsDeletion: [r('a')] }, want: { type: 'delete', policy: 'Background', unblockFirst: false } },
];

for (const tc of cases) {
  test(`planAttemptToDelete: ${tc.name}`, () => {
    const c: Classification = { solid: [], dangling: [], waitingForDependentsDeletion: [], ...tc.c };
    assert.deepEqual(planAttemptToDelete(c, tc.finalizers ?? [], tc.deps ?? none), tc.want);
  });
}
