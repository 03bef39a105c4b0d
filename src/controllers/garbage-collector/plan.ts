/**
 * What attemptToDeleteItem does with a dependent once its owner references
 * are classified (garbagecollector.go). Pure.
 *
 *   - solid: an owner exists and is not deleting in the foreground;
 *   - dangling: the owner is absent (not found, or another uid);
 *   - waitingForDependentsDeletion: the owner exists, is being deleted, and
 *     has the foregroundDeletion finalizer.
 *
 * With a solid owner the object lives, losing only its dangling and waiting
 * references. Without one it is deleted: in the foreground when an owner is
 * waiting and it has dependents itself (first unblocking its references when
 * one of those dependents also waits, to break a cycle), otherwise with the
 * policy its own finalizers ask for, Background by default.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PropagationPolicy } from './operations.ts';
import { foregroundFinalizer, orphanFinalizer } from './graph-builder.ts';

export interface Classification {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

export type DeleteAction =
  | { type: 'none' }
  | { type: 'removeOwnerRefs'; uids: string[] }
  | { type: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

export interface DependentsInfo {
  /** How many dependents the item has in the graph. */
  count: number;
  /** Whether one of them is itself deleting its dependents in the foreground. */
  anyDeletingDependents: boolean;
}

export function planAttemptToDelete(c: Classification, finalizers: readonly string[], deps: DependentsInfo): DeleteAction {
  if (c.solid.length > 0) {
    if (c.dangling.length === 0 && c.waitingForDependentsDeletion.length === 0) return { type: 'none' };
    return { type: 'removeOwnerRefs', uids: [...c.dangling, ...c.waitingForDependentsDeletion].map((r) => r.uid) };
  }
  if (c.waitingForDependentsDeletion.length > 0 && deps.count > 0) {
    return { type: 'delete', policy: 'Foreground', unblockFirst: deps.anyDeletingDependents };
  }
  const policy: PropagationPolicy = finalizers.includes(orphanFinalizer) ? 'Orphan' : finalizers.includes(foregroundFinalizer) ? 'Foreground' : 'Background';
  return { type: 'delete', policy, unblockFirst: false };
}
