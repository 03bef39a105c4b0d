/**
 * The paths one sync of a Deployment takes (syncDeployment's switch:
 * sync.go sync and syncStatusOnly, rolling.go, recreate.go, rollback.go),
 * each a function over the sync's executor (sync.ts): it reads the planners
 * and writes through the executor.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { desiredReplicasAnnotation, intAnnotation, rollbackToAnnotation, setDeploymentAnnotationsTo } from './annotations.ts';
import { deploymentComplete } from './conditions.ts';
import { replicasOf } from './deployment-spec.ts';
import { podTemplateHashLabel } from './pod-template-hash.ts';
import { activeReplicaSets, actualReplicas, equalIgnoreHash, lastRevision, revisionOf } from './replica-sets.ts';
import { planNewReplicaSet, planOldReplicaSets } from './rolling-plan.ts';
import type { DeploymentSync } from './sync.ts';

/** syncStatusOnly: a Deployment being deleted. */
export function syncStatusOnly(s: DeploymentSync, rsList: readonly ReplicaSet[]): void {
  const { newRS, oldRSs } = s.replicaSets(rsList, false);
  s.syncDeploymentStatus([...oldRSs, newRS], newRS);
}

/** sync: scaling, or a paused Deployment. */
export function syncScaling(s: DeploymentSync, rsList: readonly ReplicaSet[]): void {
  const { newRS, oldRSs } = s.replicaSets(rsList, false);
  s.scale(newRS, oldRSs);
  if (s.d.spec?.paused && rollbackTo(s.d) === undefined) s.cleanup(oldRSs);
  s.syncDeploymentStatus([...oldRSs, newRS], newRS);
}

/** isScalingEvent: an active ReplicaSet's desired-replicas differs from the Deployment's replicas. */
export function isScalingEvent(s: DeploymentSync, rsList: readonly ReplicaSet[]): boolean {
  const { newRS, oldRSs } = s.replicaSets(rsList, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = intAnnotation(rs, desiredReplicasAnnotation);
    if (desired !== undefined && desired !== replicasOf(s.d)) return true;
  }
  return false;
}

/** rolloutRolling: the new ReplicaSet up when the surge allows, else old ones down when availability allows. */
export function rolloutRolling(s: DeploymentSync, rsList: readonly ReplicaSet[]): void {
  const { newRS, oldRSs } = s.replicaSets(rsList, true);
  const allRSs = [...oldRSs, newRS];
  const up = planNewReplicaSet(allRSs, newRS!, s.d);
  if (up !== undefined && s.scaleAndRecord(newRS!, up).scaled) return s.syncRolloutStatus(allRSs, newRS);
  const steps = planOldReplicaSets(allRSs, activeReplicaSets(oldRSs), newRS!, s.d);
  if (steps.length > 0 && s.applySteps(steps, true) > 0) return s.syncRolloutStatus(allRSs, newRS);
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanup(oldRSs);
  s.syncRolloutStatus(allRSs, newRS);
}

/** rolloutRecreate: old ReplicaSets to 0, wait until their pods are gone, then the new one to full size. */
export function rolloutRecreate(s: DeploymentSync, rsList: readonly ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): void {
  let { newRS, oldRSs } = s.replicaSets(rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) if (s.scaleAndRecord(rs, 0).scaled) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus(allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, podsByRS)) return s.syncRolloutStatus(allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = s.replicaSets(rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  s.scaleAndRecord(newRS!, replicasOf(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanup(oldRSs);
  s.syncRolloutStatus(allRSs, newRS);
}

/** rollback: the deprecated rollback annotation (extensions/v1beta1 `rollbackTo`), as upstream still honours it. */
export function rollback(s: DeploymentSync, rsList: readonly ReplicaSet[]): void {
  const { newRS, oldRSs } = s.replicaSets(rsList, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = rollbackTo(s.d)!;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      s.event('Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find last revision.');
      return clearRollbackTo(s);
    }
  }
  for (const rs of allRSs) {
    if (revisionOf(rs) !== revision) continue;
    if (!equalIgnoreHash(s.d.spec?.template, rs.spec?.template)) {
      const template = structuredClone(rs.spec?.template ?? {});
      const labels = { ...template.metadata?.labels };
      delete labels[podTemplateHashLabel];
      template.metadata = { ...template.metadata, labels };
      s.d.spec = { ...s.d.spec!, template };
      setDeploymentAnnotationsTo(s.d, rs);
      clearRollbackTo(s);
      s.event('Normal', 'DeploymentRollback', `Rolled back deployment "${s.d.metadata?.name}" to revision ${revision}`);
      return;
    }
    s.event('Warning', 'DeploymentRollbackTemplateUnchanged', `The rollback revision contains the same template as current deployment "${s.d.metadata?.name}"`);
    return clearRollbackTo(s);
  }
  s.event('Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
  clearRollbackTo(s);
}

function clearRollbackTo(s: DeploymentSync): void {
  const a = s.d.metadata?.annotations;
  if (a) delete a[rollbackToAnnotation];
  s.updateDeployment();
}

/** getRollbackTo: the revision of the deprecated rollback annotation, or undefined. */
export function rollbackTo(d: Deployment): number | undefined {
  const v = d.metadata?.annotations?.[rollbackToAnnotation];
  if (!v || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** oldPodsRunning: an old ReplicaSet reports pods, or one of its pods is not Succeeded or Failed. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

