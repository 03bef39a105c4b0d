/**
 * The annotations a Deployment and its ReplicaSets carry (deployment/util):
 * the revision of each ReplicaSet (max old revision + 1 for the new one; a
 * reused old ReplicaSet keeps its former revisions in revision-history),
 * desired-replicas and max-replicas (the Deployment's size and size + surge
 * when the ReplicaSet was last scaled, which proportional scaling reads),
 * and the Deployment's own annotations copied onto its new ReplicaSet.
 * Each setter changes the object it is given and says whether it did.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { maxSurge, replicasOf } from './deployment-spec.ts';
import { revisionAnnotation } from './replica-sets.ts';

export { revisionAnnotation } from './replica-sets.ts';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** apps.DeprecatedRollbackTo: `kubectl rollout undo` of the old API groups, kept as an annotation. */
export const rollbackToAnnotation = 'deprecated.deployment.rollback.to';
const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The sync's limit on revision-history (maxRevHistoryLengthInChars). */
export const maxRevisionHistoryChars = 2000;

const annotationsToSkip = new Set([
  lastAppliedAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  rollbackToAnnotation,
]);

function annotationsOf(obj: { metadata?: { annotations?: Record<string, string> } }): Record<string, string> {
  obj.metadata ??= {};
  obj.metadata.annotations ??= {};
  return obj.metadata.annotations;
}

/** SetDeploymentRevision. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = annotationsOf(d);
  if (a[revisionAnnotation] === revision) return false;
  a[revisionAnnotation] = revision;
  return true;
}

/** copyDeploymentAnnotationsToReplicaSet: every annotation but the skipped ones. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const to = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsToSkip.has(k) || to[k] === v) continue;
    to[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  if (a[desiredReplicasAnnotation] !== String(desired)) {
    a[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[maxReplicasAnnotation] !== String(max)) {
    a[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations;
  return !a || a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/** An annotation holding an int32, as getIntFromAnnotation reads it. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises
 * the revision to `newRevision` when it is lower (recording the former one
 * in revision-history, at most `historyChars` long), and for a ReplicaSet
 * about to be created (`exists` false) sets the replicas annotations.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, historyChars = maxRevisionHistoryChars): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = annotationsOf(rs);
  const had = Object.prototype.hasOwnProperty.call(a, revisionAnnotation);
  const oldRevision = a[revisionAnnotation] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (!/^[+-]?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[revisionAnnotation] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history = a[revisionHistoryAnnotation] ?? '';
    const olds = history.split(',');
    if (olds[0].length === 0) {
      a[revisionHistoryAnnotation] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > historyChars && start < olds.length) {
        total -= olds[start].length + 1;
        start++;
      }
      if (total <= historyChars) a[revisionHistoryAnnotation] = [...olds.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentAnnotationsTo: on rollback, the Deployment takes the old ReplicaSet's annotations (but the skipped ones). */
export function setDeploymentAnnotationsTo(d: Deployment, rs: ReplicaSet): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (annotationsToSkip.has(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!annotationsToSkip.has(k)) kept[k] = v;
  d.metadata ??= {};
  d.metadata.annotations = kept;
}
