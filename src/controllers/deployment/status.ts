/**
 * The Deployment's status as the controller computes it (sync.go
 * calculateStatus, progress.go syncRolloutStatus and requeueStuckDeployment):
 * counts summed over its ReplicaSets, the Available condition, and during a
 * rollout the Progressing condition and when to look again for the
 * progress deadline. Pure: `now` is passed in.
 *
 * Statuses are written as Go marshals them (zero counts left out), and
 * compared with zero and absent taken as equal.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, newCondition, reasons, removeCondition, replicaSetToDeploymentCondition, setCondition } from './conditions.ts';
import { maxUnavailable, progressDeadlineSeconds, replicasOf } from './deployment-spec.ts';
import { actualReplicas, availableReplicas, readyReplicas, totalReplicas } from './replica-sets.ts';

const counts = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** Leaves out zero counts, absent collisionCount and empty conditions, as Go's omitempty does. */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of counts) if (s[k]) out[k] = s[k];
  if (s.conditions?.length) out.conditions = s.conditions.map((c) => ({ ...c }));
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return isDeepStrictEqual(compactStatus(a ?? {}), compactStatus(b ?? {}));
}

/** calculateStatus. */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const unavailable = Math.max(0, totalReplicas(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicas(allRSs),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    collisionCount: d.status?.collisionCount,
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return compactStatus(status);
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else any old one's. */
function replicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined) {
  const of = (rs: ReplicaSet | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  if (fromNew.length) return fromNew;
  return allRSs.flatMap(of);
}

/** syncRolloutStatus's status: calculateStatus plus the Progressing and ReplicaFailure conditions. */
export function rolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  const hasDeadline = progressDeadlineSeconds(d) !== undefined;
  if (!hasDeadline) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isComplete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && current?.reason === reasons.newRSAvailable;
  const name = newRS?.metadata?.name;
  if (hasDeadline && !isComplete) {
    if (deploymentComplete(d, s)) {
      const msg = name ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', reasons.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${d.metadata?.name}" is progressing.`;
      const cond = newCondition('Progressing', 'True', reasons.replicaSetUpdated, msg, now);
      // Unlike setCondition, progress always moves lastUpdateTime (the deadline runs from it).
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', reasons.timedOut, msg, now));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(s, failures[0]);
  else removeCondition(s, 'ReplicaFailure');
  return compactStatus(s);
}

/**
 * requeueStuckDeployment: how long until the deadline of a rollout that
 * has not progressed, plus a second (so the check falls after it); with
 * less than a second left, 5 ms (upstream's rate-limited requeue, whose
 * first step is 5 ms); undefined for no check.
 */
export function progressCheckDelayMs(d: Deployment, newStatus: DeploymentStatus, now: number): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  const cond = getCondition(d.status, 'Progressing');
  if (deadline === undefined || !cond) return undefined;
  if (deploymentComplete(d, newStatus) || cond.reason === reasons.timedOut) return undefined;
  const after = Date.parse(cond.lastUpdateTime ?? '') + deadline * 1000 - now;
  if (after < 1000) return 5;
  return after + 1000;
}
