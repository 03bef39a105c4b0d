/**
 * The garbage-collection finalizers a delete leaves on an object, as
 * kube-apiserver's generic store decides them (store.go:
 * deletionFinalizersForGarbageCollection, shouldOrphanDependents,
 * shouldDeleteDependents). Pure.
 *
 * `orphan` keeps the object until the garbage collector has removed its
 * ownerReferences from its dependents; `foregroundDeletion` keeps it until
 * the dependents that block owner deletion are gone. An explicit option
 * (the deprecated `orphanDependents`, else `propagationPolicy`) decides;
 * without one a finalizer already present stays; otherwise the kind's
 * default applies, which is DeleteDependents (Background: neither
 * finalizer) for every kind berth serves.
 */
import type { PropagationPolicy } from './resource-store.ts';

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

export interface PropagationOptions {
  propagationPolicy?: PropagationPolicy;
  /** Deprecated: true is Orphan, false is neither finalizer (Background). */
  orphanDependents?: boolean;
}

function shouldOrphan(finalizers: readonly string[], o: PropagationOptions): boolean {
  if (o.orphanDependents !== undefined) return o.orphanDependents;
  if (o.propagationPolicy !== undefined) return o.propagationPolicy === 'Orphan';
  for (const f of finalizers) {
    if (f === orphanFinalizer) return true;
    if (f === foregroundFinalizer) return false;
  }
  return false;
}

function shouldDeleteInForeground(finalizers: readonly string[], o: PropagationOptions): boolean {
  if (o.orphanDependents !== undefined) return false;
  if (o.propagationPolicy !== undefined) return o.propagationPolicy === 'Foreground';
  for (const f of finalizers) {
    if (f === foregroundFinalizer) return true;
    if (f === orphanFinalizer) return false;
  }
  return false;
}

/**
 * The finalizers after a delete with `o`: both GC finalizers are removed and
 * the one the options call for is appended. `changed` is false when the set
 * is the same (then `finalizers` is the current list, in its order).
 */
export function deletionFinalizers(current: readonly string[], o: PropagationOptions): { changed: boolean; finalizers: string[] } {
  const next = current.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (shouldOrphan(current, o)) next.push(orphanFinalizer);
  if (shouldDeleteInForeground(current, o)) next.push(foregroundFinalizer);
  const a = new Set(current);
  const b = new Set(next);
  const same = a.size === b.size && [...a].every((f) => b.has(f));
  return same ? { changed: false, finalizers: [...current] } : { changed: true, finalizers: next };
}
