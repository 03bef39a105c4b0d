/**
 * A StatefulSet's revision history on the history toolkit
 * (stateful_set_control.go getStatefulSetRevisions, truncateHistory;
 * stateful_set_utils.go getPatch, newRevision, ApplyRevision,
 * nextRevision): each revision's data is the strategic merge patch that
 * puts the set's template back (`{"spec":{"template":{…,"$patch":"replace"}}}`),
 * named `<set>-<hash of the data and collisionCount>`; pods carry the name
 * of their revision in `controller-revision-hash`.
 */
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ResourceClient } from '../../client/client.ts';
import {
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
  updateRevisionNumber,
} from '../history/history.ts';
import { templatePatch } from '../history/template-patch.ts';
import { podRevision, statefulSetKind } from './identity.ts';

/** getPatch: the patch that restores the set's template. */
export function getPatch(set: StatefulSet): unknown {
  return JSON.parse(templatePatch(set.spec?.template));
}

/** newRevision: the revision of the set's current template, numbered `revision`, carrying the set's annotations. */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set, statefulSetKind, set.spec?.template?.metadata?.labels, getPatch(set), revision, collisionCount);
  cr.metadata!.annotations = { ...set.metadata?.annotations };
  if (Object.keys(cr.metadata!.annotations).length === 0) delete cr.metadata!.annotations;
  return cr;
}

/** ApplyRevision: the set with the revision's template (the `$patch: replace` patch replaces it whole). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone: StatefulSet = structuredClone(set);
  const template: any = structuredClone((revision.data as any)?.spec?.template ?? {});
  delete template.$patch;
  if (template.metadata?.creationTimestamp === null) delete template.metadata.creationTimestamp;
  (clone.spec as { template: PodTemplateSpec }).template = template;
  return clone;
}

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

/**
 * getStatefulSetRevisions: the update revision is the set's template — the
 * newest revision when it already holds it, an older one renumbered to the
 * next number when it does (a rollback), else a new one (created with the
 * collision loop). The current revision is the one status.currentRevision
 * names, else the update revision. `revisions` must be sorted.
 */
export function getStatefulSetRevisions(client: ResourceClient<ControllerRevision>, set: StatefulSet, revisions: readonly ControllerRevision[]): SetRevisions {
  let collisionCount = set.status?.collisionCount ?? 0;
  let update = newRevision(set, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisions(revisions, update);
  if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
    update = revisions[revisions.length - 1];
  } else if (equal.length > 0) {
    update = updateRevisionNumber(client, equal[equal.length - 1], update.revision ?? 0);
  } else {
    ({ revision: update, collisionCount } = createControllerRevision(client, set, update, collisionCount));
  }
  const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/**
 * truncateHistory: the revisions to delete so that at most
 * revisionHistoryLimit non-live ones remain, oldest first. Live: the current
 * and update revisions and every revision a pod carries. `revisions` must
 * be sorted.
 */
export function revisionsToTruncate(set: StatefulSet, pods: readonly Pod[], revisions: readonly ControllerRevision[], current?: ControllerRevision, update?: ControllerRevision): ControllerRevision[] {
  const live = new Set<string>();
  if (current) live.add(current.metadata?.name ?? '');
  if (update) live.add(update.metadata?.name ?? '');
  for (const p of pods) live.add(podRevision(p));
  const history = sortControllerRevisions(revisions).filter((r) => !live.has(r.metadata?.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}
