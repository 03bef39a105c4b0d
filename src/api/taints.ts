/**
 * Taints and tolerations (core/v1 Toleration.ToleratesTaint,
 * component-helpers' TolerationsTolerateTaint and
 * FindMatchingUntoleratedTaint), shared by the scheduler's filters and the
 * DaemonSet controller's node predicates.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Toleration.ToleratesTaint: an empty effect or key matches any; an empty operator means Equal. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** TolerationsTolerateTaint: some toleration tolerates the taint. */
export const tolerationsTolerateTaint = (tolerations: readonly Toleration[] | undefined, taint: Taint): boolean =>
  (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/** FindMatchingUntoleratedTaint: the first taint, in the node's order, that `filter` keeps and no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  return (taints ?? []).find((taint) => filter(taint) && !tolerationsTolerateTaint(tolerations, taint));
}

/** The scheduler's and DaemonSet controller's filter: NoSchedule and NoExecute taints. */
export const noScheduleOrNoExecute = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
