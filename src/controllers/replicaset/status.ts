/**
 * A ReplicaSet's status as its controller computes it (upstream's
 * replica_set_utils.go: calculateStatus, the ReplicaFailure condition
 * helpers, and the test of updateReplicaSetStatus for whether to write).
 * Pure: the set, its claimed active pods, the error of this pass's creates
 * or deletes, and the time.
 *
 *   replicas              the claimed active pods
 *   fullyLabeledReplicas  of those, the ones carrying every template label
 *   readyReplicas         of those, the Ready ones
 *   availableReplicas     of the ready ones, Ready for more than minReadySeconds
 *   observedGeneration    set when written (metadata.generation)
 *   ReplicaFailure        True with reason FailedCreate (too few pods) or
 *                         FailedDelete (too many) and the error as message,
 *                         added when a pass fails and none is there (an
 *                         existing one is kept as is, its time too); removed
 *                         by the next pass without error.
 */
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/api.ts';
import { selectorFromSet } from '../label-selector.ts';
import { isPodAvailable, isPodReady } from '../pod-readiness.ts';

export const replicaFailure = 'ReplicaFailure';

export function calculateStatus(rs: ReplicaSet, pods: readonly Pod[], manageReplicasErr: Error | undefined, now: number): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata?.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  const status: ReplicaSetStatus = { ...rs.status, replicas: 0 };
  const failure = rs.status?.conditions?.find((c) => c.type === replicaFailure);
  if (manageReplicasErr && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setCondition(status, { type: replicaFailure, status: 'True', lastTransitionTime: rfc3339(now), reason, message: manageReplicasErr.message });
  } else if (!manageReplicasErr && failure) {
    removeCondition(status, replicaFailure);
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/** SetCondition: replaces a condition of the type unless it has the same status and reason. */
export function setCondition(status: ReplicaSetStatus, cond: ReplicaSetCondition): void {
  const cur = status.conditions?.find((c) => c.type === cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: ReplicaSetStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

/** Whether `next` differs from what `rs` has (or its generation is unobserved): updateReplicaSetStatus's early return. */
export function statusNeedsUpdate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
  return (
    (cur.replicas ?? 0) !== (next.replicas ?? 0) ||
    (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (rs.metadata?.generation ?? 0) !== (cur.observedGeneration ?? 0) ||
    JSON.stringify(cur.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
