/**
 * Taints and tolerations as the TaintToleration and NodeUnschedulable
 * filters read them (v1 helper ToleratesTaint,
 * FindMatchingUntoleratedTaint).
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

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

export const tolerated = (tolerations: readonly Toleration[] | undefined, taint: Taint) => (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/** The first NoSchedule or NoExecute taint, in the node's order, that no toleration tolerates. */
export function firstUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  return (taints ?? []).find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerated(tolerations, taint));
}
