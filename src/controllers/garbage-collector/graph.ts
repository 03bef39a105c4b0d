/**
 * The dependency graph's parts (garbagecollector/graph.go): a node per object
 * that has or is named by ownerReferences, keyed by uid; identities; the
 * comparisons of owner references the graph builder and the collector use.
 * Pure data and functions.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isDeepStrictEqual } from 'node:util';

/** An object's coordinates (upstream objectReference): '' namespace for cluster-scoped. */
export interface Identity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** objectReference.String(), as upstream's log lines and event messages print it. */
export function identityString(i: Identity): string {
  return `[${i.apiVersion}/${i.kind}, namespace: ${i.namespace}, name: ${i.name}, uid: ${i.uid}]`;
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** The identity an owner reference names, in `namespace`. */
export function identityOfRef(ref: OwnerReference, namespace: string): Identity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** ownerReferenceMatchesCoordinates: uid, name, kind and apiVersion agree. */
export function refMatches(ref: OwnerReference, id: Identity): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export function blocksOwnerDeletion(ref: OwnerReference): boolean {
  return ref.blockOwnerDeletion === true;
}

export class GraphNode {
  identity: Identity;
  /** Objects whose ownerReferences name this node's uid. */
  readonly dependents = new Set<GraphNode>();
  /** This object's own ownerReferences, as last observed. */
  owners: OwnerReference[];
  /** Known only as somebody's owner, not (yet) seen through an informer. */
  virtual: boolean;
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;

  constructor(identity: Identity, opts: { owners?: OwnerReference[]; virtual?: boolean; beingDeleted?: boolean; deletingDependents?: boolean } = {}) {
    this.identity = identity;
    this.owners = opts.owners ?? [];
    this.virtual = opts.virtual ?? false;
    this.beingDeleted = opts.beingDeleted ?? false;
    this.deletingDependents = opts.deletingDependents ?? false;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dep) => dep.owners.some((o) => o.uid === this.identity.uid && blocksOwnerDeletion(o)));
  }
}

export interface OwnerRefChange {
  oldRef: OwnerReference;
  newRef: OwnerReference;
}

/** referencesDiffs: by uid, what was added, removed, or changed in any field. */
export function referencesDiffs(
  old: readonly OwnerReference[],
  next: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: OwnerRefChange[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: OwnerRefChange[] = [];
  for (const ref of next) {
    const before = oldByUid.get(ref.uid);
    if (before === undefined) {
      added.push(ref);
      continue;
    }
    if (!isDeepStrictEqual(before, ref)) changed.push({ oldRef: before, newRef: ref });
    oldByUid.delete(ref.uid);
  }
  return { added, removed: [...oldByUid.values()], changed };
}

/**
 * partitionDependents: dependents whose reference to `owner.uid` matches its
 * coordinates (and namespace, for a namespaced owner), and those with one
 * that does not. A dependent may be in both.
 */
export function partitionDependents(deps: Iterable<GraphNode>, owner: Identity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dep of deps) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (refMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** referenceLessThan: kind, apiVersion, namespace, name, uid. */
function referenceLess(a: Identity, b: Identity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k];
  }
  return false;
}

/**
 * getAlternateOwnerIdentity: another identity the dependents name the absent
 * uid by: the first following `absent` in reference order, else the first.
 */
export function alternateOwnerIdentity(deps: Iterable<GraphNode>, absent: Identity): Identity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen: Identity[] = [absent];
  let first: Identity | undefined;
  let firstFollowing: Identity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (refMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt = identityOfRef(ref, dep.identity.namespace);
      if (clusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      if (seen.some((s) => sameIdentity(s, alt))) continue;
      seen.push(alt);
      if (!first || referenceLess(alt, first)) first = alt;
      if (referenceLess(absent, alt) && (!firstFollowing || referenceLess(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

/**
 * Owners verified absent (upstream ReferenceCache): an LRU of identities, so
 * the dependents of one deleted owner need one live lookup, not one each.
 */
export class AbsentOwnerCache {
  readonly #max: number;
  #keys = new Map<string, true>();

  constructor(max = 500) {
    this.#max = max;
  }

  static key(i: Identity): string {
    return JSON.stringify([i.apiVersion, i.kind, i.name, i.uid, i.namespace]);
  }

  add(i: Identity): void {
    const k = AbsentOwnerCache.key(i);
    this.#keys.delete(k);
    this.#keys.set(k, true);
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.keys().next().value!);
  }

  has(i: Identity): boolean {
    const k = AbsentOwnerCache.key(i);
    if (!this.#keys.has(k)) return false;
    this.#keys.delete(k);
    this.#keys.set(k, true);
    return true;
  }
}
