/**
 * history — a controller's ControllerRevisions, as kube-controller-manager's
 * pkg/controller/history does for the DaemonSet and StatefulSet
 * controllers: a revision is a snapshot (`data`) of the owner's template
 * with a sequence number (`revision`), owned by the owner through a
 * controller ownerReference, named `<owner>-<hash>`.
 *
 * Owns: revision naming and hashing (hash.ts holds the hash functions),
 * creation with the collision loop, equality, ordering, the next revision
 * number, choosing what to delete past a revisionHistoryLimit, and claiming
 * (adopting orphans the owner's selector matches, releasing those it no
 * longer matches), and the template-restoring patch the DaemonSet and
 * StatefulSet controllers both store as `data` (template-patch.ts). Does not
 * own when to snapshot (the controller's sync).
 *
 * State: none; revisions live in the API, read from an informer's lister.
 * No loops or timers.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ResourceClient } from '../../client/client.ts';
import { ControllerRefManager, controllerRefOf, newControllerRef, type OwnerKind } from '../controller-ref.ts';
import type { Selector } from '../label-selector.ts';
import { bytes, fnv32, goJson, safeEncodeString } from './hash.ts';

export { computeHash, goJson } from './hash.ts';

/** ControllerRevisionHashLabel: the hash of a revision's data, on the revision. */
export const controllerRevisionHashLabel = 'controller.kubernetes.io/hash';

/** What a revision's owner must have. */
export interface RevisionOwner {
  metadata?: ObjectMeta;
}

export type { OwnerKind } from '../controller-ref.ts';

/** metav1.NewControllerRef. */
export const controllerRef = newControllerRef;

/** metav1.GetControllerOf. */
export const controllerOf = controllerRefOf;

/** `prefix-hash`, the prefix cut to 223 characters so the name fits in 253. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** The bytes a revision's data is compared and hashed as (upstream's `Data.Raw`). */
export function revisionData(revision: ControllerRevision): string {
  return revision.data === undefined || revision.data === null ? '' : goJson(revision.data);
}

/** HashControllerRevision: FNV-1 of the data, then of `probe` in decimal when given. */
export function hashControllerRevision(revision: ControllerRevision, probe?: number | null): string {
  const chunks = [bytes(revisionData(revision))];
  if (probe !== undefined && probe !== null) chunks.push(bytes(String(probe)));
  return safeEncodeString(String(fnv32(...chunks)));
}

/**
 * NewControllerRevision: labelled with the template's labels and the hash
 * label, owned by `owner`, named from the hash of `data` and
 * `collisionCount`.
 */
export function newControllerRevision(
  owner: RevisionOwner,
  kind: OwnerKind,
  templateLabels: Readonly<Record<string, string>> | undefined,
  data: unknown,
  revision: number,
  collisionCount?: number | null,
): ControllerRevision {
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { namespace: owner.metadata?.namespace, labels: { ...templateLabels }, ownerReferences: [controllerRef(owner, kind)] },
    data: data as ControllerRevision['data'],
    revision,
  };
  const hash = hashControllerRevision(cr, collisionCount);
  cr.metadata!.name = controllerRevisionName(owner.metadata?.name ?? '', hash);
  cr.metadata!.labels![controllerRevisionHashLabel] = hash;
  return cr;
}

/**
 * EqualRevision: the same data. Hash labels that parse as integers and
 * differ make them unequal at once (upstream's shortcut; SafeEncodeString
 * hashes never parse, so in practice the data decides).
 */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = parseHash(a);
  const hb = parseHash(b);
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return revisionData(a) === revisionData(b);
}

function parseHash(r: ControllerRevision): number | undefined {
  const s = r.metadata?.labels?.[controllerRevisionHashLabel];
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n >>> 0 : undefined;
}

/** FindEqualRevisions, in the order given. */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** SortControllerRevisions: by revision, then creation time, then name; a new array. */
export function sortControllerRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  const time = (r: ControllerRevision) => (r.metadata?.creationTimestamp ? Date.parse(r.metadata.creationTimestamp) : 0);
  return [...revisions].sort((a, b) => {
    const ra = a.revision ?? 0;
    const rb = b.revision ?? 0;
    if (ra !== rb) return ra - rb;
    if (time(a) !== time(b)) return time(a) - time(b);
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** The highest revision number among `revisions`, 0 for none (maxRevision). */
export function maxRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
}

/** The number the next snapshot gets: one past the highest, 1 for the first. */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return maxRevision(revisions) + 1;
}

/**
 * The old revisions to delete so that at most `limit` remain, oldest
 * (lowest revision) first, never one that `isLive` (a running pod still
 * carries its hash) — the DaemonSet's cleanupHistory and the StatefulSet's
 * truncateHistory.
 */
export function revisionsToTruncate(old: readonly ControllerRevision[], limit: number, isLive: (r: ControllerRevision) => boolean): ControllerRevision[] {
  let toKill = old.length - Math.max(0, limit);
  const out: ControllerRevision[] = [];
  for (const r of [...old].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))) {
    if (toKill <= 0) break;
    if (isLive(r)) continue;
    out.push(r);
    toKill--;
  }
  return out;
}

/** ListControllerRevisions: those matching `selector` owned by `owner` or by no controller. */
export function listControllerRevisions(revisions: readonly ControllerRevision[], owner: RevisionOwner, selector: Selector): ControllerRevision[] {
  return revisions.filter((r) => {
    if (!selector.matches(r.metadata?.labels)) return false;
    const ref = controllerOf(r);
    return !ref || ref.uid === owner.metadata?.uid;
  });
}

/**
 * realHistory.CreateControllerRevision: creates `revision` under the name
 * its hash and `collisionCount` give; when the name is taken by a revision
 * with other data, counts a collision and tries the next name. An existing
 * revision with the same data is returned as created. Returns the revision
 * and the collision count reached, which the owner stores in its status.
 */
export function createControllerRevision(
  client: ResourceClient<ControllerRevision>,
  owner: RevisionOwner,
  revision: ControllerRevision,
  collisionCount: number,
): { revision: ControllerRevision; collisionCount: number } {
  const ns = owner.metadata?.namespace;
  for (let count = collisionCount; ; count++) {
    const hash = hashControllerRevision(revision, count);
    const clone: ControllerRevision = structuredClone(revision);
    clone.metadata = { ...clone.metadata, name: controllerRevisionName(owner.metadata?.name ?? '', hash), namespace: ns };
    try {
      return { revision: client.create(ns, clone), collisionCount: count };
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists')) throw err;
      const exists = client.get(ns, clone.metadata.name!);
      if (!exists) throw err;
      if (revisionData(exists) === revisionData(clone)) return { revision: exists, collisionCount: count };
    }
  }
}

/**
 * UpdateControllerRevision: sets the revision number (no write when it has
 * it), re-reading and trying again on a conflict as RetryOnConflict does
 * (five tries).
 */
export function updateRevisionNumber(client: Pick<ResourceClient<ControllerRevision>, 'get' | 'update'>, revision: ControllerRevision, newRevision: number): ControllerRevision {
  let current = revision;
  for (let attempt = 0; ; attempt++) {
    if (current.revision === newRevision) return current;
    try {
      return client.update(current.metadata?.namespace, { ...current, revision: newRevision });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409) || attempt >= 4) throw err;
      const fresh = client.get(current.metadata?.namespace, current.metadata?.name ?? '');
      if (!fresh) throw err;
      current = fresh;
    }
  }
}

/**
 * ClaimControllerRevisions: of `revisions` in the owner's namespace, those
 * the owner controls after adopting the orphans its selector matches and
 * releasing its own that it no longer matches (controller-ref.ts's rules;
 * `canAdopt` throws when the owner may not adopt, e.g. recheckOwner).
 * Throws the failed adoptions and releases together.
 */
export function claimControllerRevisions(
  client: Pick<ResourceClient<ControllerRevision>, 'get' | 'update'>,
  owner: RevisionOwner,
  kind: OwnerKind,
  selector: Selector,
  revisions: readonly ControllerRevision[],
  canAdopt?: () => void,
): ControllerRevision[] {
  return new ControllerRefManager<RevisionOwner, ControllerRevision>({ owner, ownerKind: kind, selector, client, canAdopt }).claimOrThrow(revisions);
}
