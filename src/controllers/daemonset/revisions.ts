/**
 * A DaemonSet's revision history (update.go's constructHistory, snapshot,
 * dedupCurHistories, cleanupHistory, Match, getPatch) on the history
 * toolkit: each revision's data is the strategic merge patch that restores
 * the DaemonSet's template (`{"spec":{"template":{...,"$patch":"replace"}}}`),
 * its name `<ds>-<hash of the template and collisionCount>`, its
 * `controller-revision-hash` label that hash, the label new pods carry.
 */
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ResourceClient } from '../../client/client.ts';
import type { Selector } from '../label-selector.ts';
import { claimControllerRevisions, computeHash, maxRevision, revisionData, revisionsToTruncate } from '../history/history.ts';
import { templatePatch } from '../history/template-patch.ts';
import { newControllerRef, recheckOwner, type OwnerKind } from '../controller-ref.ts';
import { controllerRevisionHashLabelKey } from './daemon-pod.ts';

export const daemonSetKind: OwnerKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

/** getPatch: the bytes of the patch that puts this template back. */
export function getPatch(ds: DaemonSet): string {
  return templatePatch(ds.spec?.template);
}

/** Match: the revision holds this DaemonSet's template. */
export function matchesRevision(ds: DaemonSet, revision: ControllerRevision): boolean {
  return revisionData(revision) === getPatch(ds);
}

export interface HistoryClients {
  revisions: ResourceClient<ControllerRevision>;
  daemonSets: ResourceClient<DaemonSet>;
  pods: ResourceClient<Pod>;
}

/**
 * controlledHistories: the DaemonSet's revisions among `all` (its
 * namespace), after adopting and releasing by its selector.
 */
export function controlledHistories(c: HistoryClients, ds: DaemonSet, selector: Selector, all: readonly ControllerRevision[]): ControllerRevision[] {
  return claimControllerRevisions(c.revisions, ds, daemonSetKind, selector, all, recheckOwner(c.daemonSets, ds, 'DaemonSet'));
}

/**
 * constructHistory: splits the DaemonSet's revisions into the current one
 * (created when missing; deduplicated, and its number raised past the old
 * ones, when found) and the old ones. Revisions without the hash label get
 * their name as the label first.
 */
export function constructHistory(
  c: HistoryClients,
  ds: DaemonSet,
  histories: readonly ControllerRevision[],
  daemonPods: () => readonly Pod[],
): { cur: ControllerRevision; old: ControllerRevision[] } {
  const ns = ds.metadata?.namespace;
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let h of histories) {
    if (h.metadata?.labels?.[controllerRevisionHashLabelKey] === undefined) {
      h = c.revisions.update(ns, { ...h, metadata: { ...h.metadata, labels: { ...h.metadata?.labels, [controllerRevisionHashLabelKey]: h.metadata?.name ?? '' } } });
    }
    if (matchesRevision(ds, h)) current.push(h);
    else old.push(h);
  }
  const currRevision = maxRevision(old) + 1;
  if (current.length === 0) return { cur: snapshot(c, ds, currRevision), old };
  let cur = dedupCurHistories(c, ds, current, daemonPods);
  if ((cur.revision ?? 0) < currRevision) cur = c.revisions.update(ns, { ...cur, revision: currRevision });
  return { cur, old };
}

/** dedupCurHistories: keeps the highest-numbered, moves pods onto its hash, deletes the others. */
function dedupCurHistories(c: HistoryClients, ds: DaemonSet, current: readonly ControllerRevision[], daemonPods: () => readonly Pod[]): ControllerRevision {
  if (current.length === 1) return current[0];
  let keep = current[0];
  for (const r of current) if ((r.revision ?? 0) >= (keep.revision ?? 0)) keep = r;
  const hash = keep.metadata?.labels?.[controllerRevisionHashLabelKey] ?? '';
  const ns = ds.metadata?.namespace;
  for (const pod of daemonPods()) {
    if (pod.metadata?.labels?.[controllerRevisionHashLabelKey] === hash) continue;
    c.pods.update(ns, { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, [controllerRevisionHashLabelKey]: hash } } });
  }
  for (const r of current) if (r.metadata?.name !== keep.metadata?.name) c.revisions.delete(ns, r.metadata?.name ?? '');
  return keep;
}

/**
 * snapshot: creates the revision of the current template. When its name is
 * taken by a revision of another template, raises status.collisionCount
 * (unless the count read was stale) and throws, so the sync is retried
 * under the next name.
 */
function snapshot(c: HistoryClients, ds: DaemonSet, revision: number): ControllerRevision {
  const ns = ds.metadata?.namespace;
  const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
  const name = `${ds.metadata?.name ?? ''}-${hash}`;
  const history: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ns,
      labels: { ...ds.spec?.template?.metadata?.labels, [controllerRevisionHashLabelKey]: hash },
      ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds, daemonSetKind)],
    },
    data: JSON.parse(getPatch(ds)),
    revision,
  };
  try {
    return c.revisions.create(ns, history);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists')) throw err;
    const existing = c.revisions.get(ns, name);
    if (!existing) throw err;
    if (matchesRevision(ds, existing)) return existing;
    const fresh = c.daemonSets.get(ns, ds.metadata?.name ?? '');
    if (!fresh) throw err;
    if ((fresh.status?.collisionCount ?? null) !== (ds.status?.collisionCount ?? null)) {
      throw new Error(
        `found a stale collision count (${ds.status?.collisionCount ?? 'nil'}, expected ${fresh.status?.collisionCount ?? 'nil'}) of DaemonSet "${ds.metadata?.name}" while processing; will retry until it is updated`,
      );
    }
    c.daemonSets.updateStatus(ns, { ...fresh, status: { ...fresh.status!, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } });
    throw err;
  }
}

/**
 * cleanupHistory: deletes the oldest old revisions beyond
 * revisionHistoryLimit (default 10), never one whose hash a pod of the
 * DaemonSet (deleted terminal pods included) still carries.
 */
export function cleanupHistory(c: HistoryClients, ds: DaemonSet, old: readonly ControllerRevision[], daemonPods: readonly Pod[]): void {
  const liveHashes = new Set<string>();
  for (const pod of daemonPods) {
    const h = pod.metadata?.labels?.[controllerRevisionHashLabelKey];
    if (h) liveHashes.add(h);
  }
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  for (const r of revisionsToTruncate(old, limit, (r) => liveHashes.has(r.metadata?.labels?.[controllerRevisionHashLabelKey] ?? ''))) {
    try {
      c.revisions.delete(ds.metadata?.namespace, r.metadata?.name ?? '');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
}
