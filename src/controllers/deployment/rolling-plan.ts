/**
 * The rolling update's decisions (rolling.go, deployment/util
 * NewRSNewReplicas), as pure functions that return the sizes to set; the
 * executor (sync.ts) writes them. Within one sync the new ReplicaSet is
 * scaled up when the surge allows, else old ones are scaled down when the
 * availability allows, and never both.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { maxUnavailable, replicasOf, scaledValue, strategyType } from './deployment-spec.ts';
import { availableReplicas, byCreation, sizeOf, totalReplicas } from './replica-sets.ts';

export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/** NewRSNewReplicas: the size the new ReplicaSet may have now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  switch (strategyType(d)) {
    case 'RollingUpdate': {
      const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', replicasOf(d), true);
      const current = totalReplicas(allRSs);
      const maxTotal = replicasOf(d) + surge;
      if (current >= maxTotal) return sizeOf(newRS);
      const up = Math.min(maxTotal - current, replicasOf(d) - sizeOf(newRS));
      return sizeOf(newRS) + up;
    }
    case 'Recreate':
      return replicasOf(d);
    default:
      throw new Error(`deployment type ${strategyType(d)} isn't supported`);
  }
}

/** reconcileNewReplicaSet: the new ReplicaSet's next size, or undefined when it stays. */
export function planNewReplicaSet(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet, d: Deployment): number | undefined {
  const want = replicasOf(d);
  if (sizeOf(newRS) === want) return undefined;
  if (sizeOf(newRS) > want) return want;
  const n = newRSNewReplicas(d, allRSs, newRS);
  return n === sizeOf(newRS) ? undefined : n;
}

/**
 * cleanupUnhealthyReplicas: scales old ReplicaSets (oldest first) down by
 * their unavailable replicas, at most `maxCleanup` in all. Returns the
 * steps and the old ReplicaSets as they are after them.
 */
export function planCleanupUnhealthy(oldRSs: readonly ReplicaSet[], maxCleanup: number): { steps: ScaleStep[]; oldRSs: ReplicaSet[]; scaled: number } {
  const sorted = [...oldRSs].sort(byCreation);
  const steps: ScaleStep[] = [];
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i];
    const size = sizeOf(rs);
    if (size === 0) continue;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === available) continue;
    const down = Math.min(maxCleanup - total, size - available);
    const replicas = size - down;
    if (replicas > size) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata?.namespace}/${rs.metadata?.name} ${size} -> ${replicas}`);
    steps.push({ rs, replicas });
    sorted[i] = { ...rs, spec: { ...rs.spec!, replicas } };
    total += down;
  }
  return { steps, oldRSs: sorted, scaled: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: old ReplicaSets (oldest first) down by the available pods above minAvailable. */
export function planScaleDownOld(allRSs: readonly (ReplicaSet | undefined)[], oldRSs: readonly ReplicaSet[], d: Deployment): { steps: ScaleStep[]; scaled: number } {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas(allRSs);
  if (available <= minAvailable) return { steps: [], scaled: 0 };
  const totalDown = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= totalDown) break;
    const size = sizeOf(rs);
    if (size === 0) continue;
    const down = Math.min(size, totalDown - total);
    steps.push({ rs, replicas: size - down });
    total += down;
  }
  return { steps, scaled: total };
}

/**
 * reconcileOldReplicaSets: how far old ReplicaSets may go down now. The
 * budget is every pod above minAvailable, less the new ReplicaSet's
 * unavailable pods (so a broken new template does not eat the old,
 * working pods); unhealthy old replicas go first.
 */
export function planOldReplicaSets(allRSs: readonly (ReplicaSet | undefined)[], oldRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment): ScaleStep[] {
  if (totalReplicas(oldRSs) === 0) return [];
  const allPods = totalReplicas(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = sizeOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const cleanup = planCleanupUnhealthy(oldRSs, maxScaledDown);
  const down = planScaleDownOld([...cleanup.oldRSs, newRS], cleanup.oldRSs, d);
  // In order: a ReplicaSet in both lists is written twice, as upstream does (two events).
  return [...cleanup.steps, ...down.steps];
}
