/**
 * Scaling a Deployment that is not rolling out — its size changed, or it is
 * paused (sync.go scale, deployment/util GetProportion): one active
 * ReplicaSet takes the new size; a saturated new ReplicaSet takes it and
 * the old ones go to 0; mid-rollout, every active ReplicaSet grows or
 * shrinks in proportion to its share of max-replicas, the leftover going
 * to the largest, so a scale never hastens the rollout.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { desiredReplicasAnnotation, intAnnotation, maxReplicasAnnotation } from './annotations.ts';
import { isRollingUpdate, maxSurge, replicasOf } from './deployment-spec.ts';
import { activeReplicaSets, bySizeNewer, bySizeOlder, findActiveOrLatest, sizeOf, totalReplicas } from './replica-sets.ts';
import type { ScaleStep } from './rolling-plan.ts';

/** k8s.io/utils/integer RoundToInt32: half away from zero. */
function roundToInt32(a: number): number {
  return a < 0 ? Math.trunc(a - 0.5) : Math.trunc(a + 0.5);
}

/** getReplicaSetFraction. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -sizeOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundToInt32((sizeOf(rs) * deploymentReplicas) / annotated) - sizeOf(rs);
}

/** GetProportion: the replicas `rs` gains (or loses) of `toAdd`, `added` being given out already. */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || sizeOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** IsSaturated: the new ReplicaSet has, wants and runs available every desired replica. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, desiredReplicasAnnotation);
  if (desired === undefined) return false;
  const n = replicasOf(d);
  return sizeOf(rs) === n && desired === n && (rs.status?.availableReplicas ?? 0) === n;
}

/**
 * The scale's writes, in order. Proportional steps name every active
 * ReplicaSet, unchanged sizes included: writing them refreshes their
 * desired-replicas and max-replicas annotations.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): { steps: ScaleStep[]; proportional: boolean } {
  const one = findActiveOrLatest(newRS, oldRSs);
  if (one) return { steps: sizeOf(one) === replicasOf(d) ? [] : [{ rs: one, replicas: replicasOf(d) }], proportional: false };
  if (isSaturated(d, newRS)) return { steps: activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 })), proportional: false };
  if (!isRollingUpdate(d)) return { steps: [], proportional: false };
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - totalReplicas(all);
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return sizeOf(rs);
    const p = getProportion(rs, d, toAdd, added);
    added += p;
    return sizeOf(rs) + p;
  });
  if (toAdd !== 0 && all.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return { steps: all.map((rs, i) => ({ rs, replicas: sizes[i] })), proportional: true };
}
