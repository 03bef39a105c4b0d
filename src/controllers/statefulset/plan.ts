/**
 * One StatefulSet sync, decided (stateful_set_control.go updateStatefulSet,
 * processReplica, processCondemned; the rolling update without the
 * MaxUnavailableStatefulSet gate, which is off in v1.33: one pod at a time,
 * highest ordinal first, down to the partition). Pure: from the set, its
 * pods, its current and update revisions, its claims (a lookup) and the
 * time, the status to record and the writes to make, in phases.
 *
 * The pods are split into replicas (ordinals in [start, start+replicas))
 * with a new pod at the right revision for each missing ordinal, and
 * condemned ones (valid ordinals outside the range), highest first.
 * OrderedReady (monotonic) stops at the first pod that is not Running,
 * Ready and available, and does one create or delete at a time; Parallel
 * does every write of a phase (in slow-start batches, by the executor).
 * Phases, each only when the previous one did not stop the sync:
 *   1. replicas: recreate Failed/Succeeded pods (delete now, create on a
 *      later sync), create missing ones (claims first), create missing
 *      claims of Pending pods, fix identity, storage and claim owners;
 *   2. condemned: set their claims' owners for the retention policy;
 *   3. condemned: delete (OrderedReady: one, once all replicas are ready);
 *   4. RollingUpdate: delete the highest-ordinal pod (at or above the
 *      partition) not at the update revision, or wait for an unavailable
 *      one. OnDelete stops before this phase.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { claimsMatchRetentionPolicy, podClaimIsStale } from './retention.ts';
import {
  endOrdinal,
  identityMatches,
  inOrdinalRange,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newVersionedPod,
  ordinalOf,
  podRevision,
  startOrdinal,
  storageMatches,
} from './identity.ts';

export type Step =
  /** CreateStatefulPod: the pod's claims, the pod, then the claims' owners. */
  | { op: 'createPod'; pod: Pod }
  /** DeleteStatefulPod. */
  | { op: 'deletePod'; pod: Pod }
  /** createMissingPersistentVolumeClaims of a Pending pod. */
  | { op: 'createMissingClaims'; pod: Pod }
  /** UpdateStatefulPod with the update revision's set: identity, storage, claim owners. */
  | { op: 'updatePod'; pod: Pod }
  /** UpdatePodClaimForRetentionPolicy of a condemned pod. */
  | { op: 'fixClaims'; pod: Pod };

export interface SyncPlan {
  status: StatefulSetStatus;
  /** Writes by phase; within a phase OrderedReady runs them in order, Parallel in slow-start batches. */
  phases: Step[][];
  monotonic: boolean;
}

export interface PlanInput {
  set: StatefulSet;
  /** The set as of the current and of the update revision (ApplyRevision). */
  currentSet: StatefulSet;
  updateSet: StatefulSet;
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  pods: readonly Pod[];
  claim: (namespace: string, name: string) => PersistentVolumeClaim | undefined;
  now: number;
}

/** computeReplicaStatus over some pod lists, into `status`. */
function countReplicas(status: StatefulSetStatus, minReadySeconds: number, current: string, update: string, now: number, ...lists: readonly Pod[][]): StatefulSetStatus {
  const s = { ...status, replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of lists.flat()) {
    if (isCreated(pod)) s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) s.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const r = podRevision(pod);
      if (r === current) s.currentReplicas++;
      if (r === update) s.updatedReplicas++;
    }
  }
  return s;
}

export function planSync(input: PlanInput): SyncPlan {
  const { set, currentSet, updateSet, current, update, pods, now } = input;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const currentName = current.metadata?.name ?? '';
  const updateName = update.metadata?.name ?? '';
  const base: StatefulSetStatus = {
    replicas: 0,
    observedGeneration: set.metadata?.generation,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount: input.collisionCount,
  };
  let status = countReplicas(base, minReady, currentName, updateName, now, [...pods]);

  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const replicas: Pod[] = new Array(Math.max(0, end - start + 1));
  const condemned: Pod[] = [];
  for (const pod of pods) {
    if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= end; ord++) {
    if (!replicas[ord - start]) replicas[ord - start] = newVersionedPod(currentSet, updateSet, current, update, ord);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));

  let firstUnavailable: Pod | undefined;
  for (const p of replicas) if (!firstUnavailable && isUnavailable(p, minReady, now)) firstUnavailable = p;
  for (let i = condemned.length - 1; i >= 0; i--) if (!firstUnavailable && isUnavailable(condemned[i], minReady, now)) firstUnavailable = condemned[i];

  const phases: Step[][] = [];
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const done = () => ({ status: countReplicas(base, minReady, currentName, updateName, now, replicas, condemned), phases, monotonic });
  if (set.metadata?.deletionTimestamp) return { status, phases, monotonic };

  // 1. replicas
  const replicaSteps: Step[] = [];
  phases.push(replicaSteps);
  for (const pod of replicas) {
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) replicaSteps.push({ op: 'deletePod', pod });
      if (monotonic) return done();
      continue;
    }
    if (!isCreated(pod)) {
      if (podClaimIsStale(set, pod, input.claim)) {
        if (monotonic) return done();
        continue;
      }
      replicaSteps.push({ op: 'createPod', pod });
      if (monotonic) return done();
      continue;
    }
    if (isPending(pod)) replicaSteps.push({ op: 'createMissingClaims', pod });
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) return done();
    const retentionMatch = claimsMatchRetentionPolicy(updateSet, pod, input.claim);
    if (!(identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch)) replicaSteps.push({ op: 'updatePod', pod });
  }

  // 2. condemned pods' claims
  const claimSteps: Step[] = [];
  phases.push(claimSteps);
  for (const pod of condemned) if (!claimsMatchRetentionPolicy(updateSet, pod, input.claim)) claimSteps.push({ op: 'fixClaims', pod });

  // 3. condemned pods
  const condemnSteps: Step[] = [];
  phases.push(condemnSteps);
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return done();
      continue;
    }
    if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) return done();
    condemnSteps.push({ op: 'deletePod', pod });
    if (monotonic) return done();
  }

  status = countReplicas(base, minReady, currentName, updateName, now, replicas, condemned);
  if (set.spec?.updateStrategy?.type === 'OnDelete') return { status, phases, monotonic };

  // 4. rolling update
  const updateMin = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target];
    if (podRevision(pod) !== updateName && !isTerminating(pod)) {
      phases.push([{ op: 'deletePod', pod }]);
      status = { ...status, currentReplicas: (status.currentReplicas ?? 0) - 1 };
      break;
    }
    if (isUnavailable(pod, minReady, now)) break;
  }
  return { status, phases, monotonic };
}

/**
 * completeRollingUpdate: once every replica is updated and ready, the
 * update revision becomes the current one.
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
  const want = set.spec?.replicas ?? 1;
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === want && status.readyReplicas === want && status.replicas === want) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

/** inconsistentStatus: whether the status differs from the one stored (so it must be written). */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const s = set.status ?? ({} as StatefulSetStatus);
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    (status.replicas ?? 0) !== (s.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (s.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (s.updateRevision ?? '')
  );
}
