/**
 * The graph builder (garbagecollector/graph_builder.go processGraphChanges):
 * applies one informer event (or a virtual delete the collector produced
 * after a live lookup) to the graph, and says which nodes the collector
 * must look at: `attemptToDelete` for dependents whose owners may be gone and
 * owners waiting for dependents, `attemptToOrphan` for owners deleted with
 * the orphan finalizer.
 *
 * Synchronous and in memory; it writes nothing. Nodes are handed to the
 * queues by uid.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import {
  AbsentOwnerCache,
  alternateOwnerIdentity,
  blocksOwnerDeletion,
  GraphNode,
  identityOfRef,
  identityString,
  partitionDependents,
  referencesDiffs,
  refMatches,
  sameIdentity,
  type Identity,
  type OwnerRefChange,
} from './graph.ts';

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

/** What the builder needs of an object: its metadata. */
export interface GraphObject {
  metadata?: ObjectMeta;
}

export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  obj: GraphObject;
  /** For updates: the state before. */
  oldObj?: GraphObject;
  /** The object's group/version and kind (its informer's). */
  apiVersion: string;
  kind: string;
  /** A delete the collector enqueued after a live lookup found nothing. */
  virtual?: boolean;
}

export interface GraphSinks {
  attemptToDelete(uid: string): void;
  attemptToDeleteRateLimited(uid: string): void;
  attemptToOrphan(uid: string): void;
  /** The OwnerRefInvalidNamespace event for `dependent`'s reference to `ownerUid`. */
  reportInvalidNamespace(dependent: GraphNode, ownerUid: string): void;
  log(msg: string): void;
}

export function beingDeleted(obj: GraphObject | undefined): boolean {
  return !!obj?.metadata?.deletionTimestamp;
}

export function hasFinalizer(obj: GraphObject | undefined, f: string): boolean {
  return (obj?.metadata?.finalizers ?? []).includes(f);
}

/** deletionStartsWithFinalizer: `obj` is being deleted with `f`, and `old` was not (or lacked it). */
function deletionStartsWithFinalizer(old: GraphObject | undefined, obj: GraphObject, f: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, f)) return false;
  if (old === undefined) return true;
  return !beingDeleted(old) || !hasFinalizer(old, f);
}

export function identityFromEvent(e: GraphEvent): Identity {
  const m = e.obj.metadata ?? {};
  return { apiVersion: e.apiVersion, kind: e.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwnerCache = new AbsentOwnerCache();
  readonly #sinks: GraphSinks;

  constructor(sinks: GraphSinks) {
    this.#sinks = sinks;
  }

  process(e: GraphEvent): void {
    const meta = e.obj.metadata ?? {};
    const uid = meta.uid ?? '';
    let existing = this.uidToNode.get(uid);
    if (existing && !e.virtual && existing.virtual) this.#observe(existing, identityFromEvent(e));
    if (e.type !== 'delete' && !existing) {
      const node = new GraphNode(identityFromEvent(e), {
        owners: [...(meta.ownerReferences ?? [])],
        beingDeleted: beingDeleted(e.obj),
        deletingDependents: beingDeleted(e.obj) && hasFinalizer(e.obj, foregroundFinalizer),
      });
      this.#insertNode(node);
      this.#processTransitions(e.oldObj, e.obj, node);
      return;
    }
    if (e.type !== 'delete' && existing) {
      if (!e.virtual && (existing.identity.apiVersion !== e.apiVersion || existing.identity.kind !== e.kind)) {
        existing.identity = { ...existing.identity, apiVersion: e.apiVersion, kind: e.kind };
      }
      const owners = meta.ownerReferences ?? [];
      const { added, removed, changed } = referencesDiffs(existing.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.#addUnblockedOwnersToDeleteQueue(removed, changed);
        existing.owners = [...owners];
        this.#addDependentToOwners(existing, added);
        this.#removeDependentFromOwners(existing, removed);
      }
      if (beingDeleted(e.obj)) existing.beingDeleted = true;
      this.#processTransitions(e.oldObj, e.obj, existing);
      return;
    }
    if (!existing) return;
    this.#processDelete(e, existing);
  }

  /** A virtual node seen through an informer: its observed identity replaces the one its dependents guessed. */
  #observe(node: GraphNode, observed: Identity): void {
    if (!sameIdentity(observed, node.identity)) {
      const { nonmatching } = partitionDependents(node.dependents, observed);
      for (const dep of nonmatching) {
        if (observed.namespace !== '' && dep.identity.namespace !== observed.namespace) {
          this.#sinks.log(`item references an owner but does not match namespaces item=${identityString(dep.identity)} owner=${identityString(observed)}`);
          this.#sinks.reportInvalidNamespace(dep, observed.uid);
        }
        this.#sinks.attemptToDelete(dep.identity.uid);
      }
      node.identity = observed;
    }
    node.virtual = false;
  }

  #processDelete(e: GraphEvent, node: GraphNode): void {
    let remove = true;
    if (e.virtual) {
      const deleted = identityFromEvent(e);
      if (node.virtual) {
        const { matching, nonmatching } = partitionDependents(node.dependents, deleted);
        if (nonmatching.length > 0) {
          // Some dependents name this uid by other coordinates: keep the node for them.
          remove = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(deleted);
            for (const dep of matching) this.#sinks.attemptToDelete(dep.identity.uid);
          }
          if (sameIdentity(node.identity, deleted)) {
            const alt = alternateOwnerIdentity(nonmatching, deleted);
            if (alt) {
              node.identity = alt;
              this.#sinks.attemptToDeleteRateLimited(node.identity.uid);
            }
          }
        }
      } else if (!sameIdentity(node.identity, deleted)) {
        // An observed object is not removed by a lookup under other coordinates.
        remove = false;
        const { matching } = partitionDependents(node.dependents, deleted);
        if (matching.length > 0) {
          this.absentOwnerCache.add(deleted);
          for (const dep of matching) this.#sinks.attemptToDelete(dep.identity.uid);
        }
      }
    }
    if (!remove) return;
    this.#removeNode(node);
    if (node.dependents.size > 0) this.absentOwnerCache.add(identityFromEvent(e));
    for (const dep of node.dependents) this.#sinks.attemptToDelete(dep.identity.uid);
    for (const owner of node.owners) {
      const ownerNode = this.uidToNode.get(owner.uid);
      // An owner deleting in the foreground may now have no dependents left.
      if (ownerNode?.deletingDependents) this.#sinks.attemptToDelete(ownerNode.identity.uid);
    }
  }

  #insertNode(node: GraphNode): void {
    this.uidToNode.set(node.identity.uid, node);
    this.#addDependentToOwners(node, node.owners);
  }

  #removeNode(node: GraphNode): void {
    this.uidToNode.delete(node.identity.uid);
    this.#removeDependentFromOwners(node, node.owners);
  }

  #removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const owner of owners) this.uidToNode.get(owner.uid)?.dependents.delete(node);
  }

  /**
   * Adds `node` to its owners' dependents; an owner not in the graph becomes
   * a virtual node the collector verifies with a live lookup. A reference
   * that cannot be right (another namespace, other coordinates than the
   * observed owner's) sends the dependent to be verified too.
   */
  #addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.uidToNode.get(owner.uid);
      const known = ownerNode !== undefined;
      if (!ownerNode) {
        ownerNode = new GraphNode(identityOfRef(owner, node.identity.namespace), { virtual: true });
        this.uidToNode.set(owner.uid, ownerNode);
      }
      ownerNode.dependents.add(node);
      if (!known) {
        this.#sinks.attemptToDelete(owner.uid);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerNamespaced = ownerNode.identity.namespace !== '';
      if (ownerNamespaced && ownerNode.identity.namespace !== node.identity.namespace) {
        if (!ownerNode.virtual) {
          this.#sinks.log(`item references an owner but does not match namespaces item=${identityString(node.identity)} owner=${identityString(ownerNode.identity)}`);
          this.#sinks.reportInvalidNamespace(node, owner.uid);
        }
        potentiallyInvalid = true;
      } else if (!refMatches(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && ownerNode.identity.namespace !== node.identity.namespace && ownerNode.virtual) {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.#sinks.attemptToDelete(node.identity.uid);
  }

  /** A blocking reference removed or made non-blocking may let a foreground owner go. */
  #addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly OwnerRefChange[]): void {
    for (const ref of removed) {
      if (blocksOwnerDeletion(ref) && this.uidToNode.has(ref.uid)) this.#sinks.attemptToDelete(ref.uid);
    }
    for (const c of changed) {
      if (blocksOwnerDeletion(c.oldRef) && !blocksOwnerDeletion(c.newRef) && this.uidToNode.has(c.newRef.uid)) {
        this.#sinks.attemptToDelete(c.newRef.uid);
      }
    }
  }

  #processTransitions(old: GraphObject | undefined, obj: GraphObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(old, obj, orphanFinalizer)) {
      this.#sinks.attemptToOrphan(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(old, obj, foregroundFinalizer)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.#sinks.attemptToDelete(dep.identity.uid);
      this.#sinks.attemptToDelete(node.identity.uid);
    }
  }
}
