/**
 * The garbage collector's loops (garbagecollector.go): one processes graph
 * changes in order (graph-builder.ts), one works the attemptToDelete queue,
 * one the attemptToOrphan queue. Queues hold node uids; a worker reads the
 * node from the graph and the object live (operations.ts), decides
 * (plan.ts) and writes.
 *
 * State: the graph and the absent-owner cache, in memory, rebuilt from the
 * informers at every start. The workers start only once the graph holds
 * every object the informers listed, so an owner is never orphaned or
 * finalized before its dependents are in the graph.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ApiObject, EventRecorder } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import type { Controller } from '../controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { foregroundFinalizer, GraphBuilder, orphanFinalizer, type GraphEvent } from './graph-builder.ts';
import { identityOfRef, identityString, type GraphNode, type Identity } from './graph.ts';
import { isNotFound, type Operations } from './operations.ts';
import { planAttemptToDelete, type Classification } from './plan.ts';

export interface CollectorOptions {
  ops: Operations;
  clock: Clock;
  recorder: EventRecorder;
  log: (msg: string) => void;
}

/** attemptToDeleteItem enqueued a virtual delete: the graph change handles the rest. */
class VirtualDeleteEnqueued extends Error {}
/** A cluster-scoped object refers to a namespaced owner: retrying cannot help. */
class NamespacedOwnerOfClusterScopedObject extends Error {}

type Action = 'forget' | 'requeue';

function klogValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

export class GarbageCollector implements Controller {
  readonly graph: GraphBuilder;
  readonly attemptToDelete: RateLimitingQueue<string>;
  readonly attemptToOrphan: RateLimitingQueue<string>;
  readonly #o: CollectorOptions;
  #graphChanges: GraphEvent[] = [];
  #wakeGraph: (() => void) | undefined;
  #started = false;
  #stopped = false;

  constructor(opts: CollectorOptions) {
    this.#o = opts;
    this.attemptToDelete = new RateLimitingQueue<string>(opts.clock);
    this.attemptToOrphan = new RateLimitingQueue<string>(opts.clock);
    this.graph = new GraphBuilder({
      attemptToDelete: (uid) => this.attemptToDelete.add(uid),
      attemptToDeleteRateLimited: (uid) => this.attemptToDelete.addRateLimited(uid),
      attemptToOrphan: (uid) => this.attemptToOrphan.add(uid),
      reportInvalidNamespace: (dep, ownerUid) => this.#reportInvalidNamespace(dep.identity, dep.owners, ownerUid),
      log: opts.log,
    });
  }

  /** Called by informer handlers (inside writes): only queues. */
  enqueueGraphChange(e: GraphEvent): void {
    if (this.#stopped) return;
    this.#graphChanges.push(e);
    this.#wakeGraph?.();
  }

  start(signal: AbortSignal): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    signal.addEventListener('abort', () => this.stop(), { once: true });
    // Everything the informers listed first, so the workers see the whole graph.
    this.#drainGraphChanges();
    void this.#graphLoop();
    void this.#work(this.attemptToDelete, (uid) => this.#attemptToDeleteWorker(uid));
    void this.#work(this.attemptToOrphan, (uid) => this.#attemptToOrphanWorker(uid));
  }

  stop(): void {
    this.#stopped = true;
    this.attemptToDelete.shutDown();
    this.attemptToOrphan.shutDown();
    this.#wakeGraph?.();
  }

  #drainGraphChanges(): void {
    for (let e = this.#graphChanges.shift(); e; e = this.#graphChanges.shift()) {
      try {
        this.graph.process(e);
      } catch (err) {
        this.#log('error processing graph change', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async #graphLoop(): Promise<void> {
    while (!this.#stopped) {
      if (this.#graphChanges.length === 0) {
        await new Promise<void>((resolve) => (this.#wakeGraph = resolve));
        this.#wakeGraph = undefined;
        continue;
      }
      this.#drainGraphChanges();
    }
  }

  async #work(queue: RateLimitingQueue<string>, work: (uid: string) => Action): Promise<void> {
    for (let uid = await queue.get(); uid !== undefined; uid = await queue.get()) {
      let action: Action;
      try {
        action = work(uid);
      } catch (err) {
        this.#log('error syncing item', { uid, error: err instanceof Error ? err.message : String(err) });
        action = 'requeue';
      }
      if (action === 'forget') queue.forget(uid);
      else queue.addRateLimited(uid);
      queue.done(uid);
    }
  }

  /** klog's structured form: `"message" key="value" ...`. */
  #log(msg: string, kv: Record<string, unknown> = {}): void {
    const pairs = Object.entries(kv).map(([k, v]) => `${k}=${klogValue(v)}`);
    this.#o.log(['garbagecollector:', JSON.stringify(msg), ...pairs].join(' '));
  }

  #enqueueVirtualDelete(id: Identity): void {
    this.enqueueGraphChange({
      type: 'delete',
      virtual: true,
      apiVersion: id.apiVersion,
      kind: id.kind,
      obj: { metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid } },
    });
  }

  #attemptToDeleteWorker(uid: string): Action {
    const node = this.graph.uidToNode.get(uid);
    if (!node) return 'forget';
    try {
      this.#attemptToDeleteItem(node);
    } catch (err) {
      if (err instanceof VirtualDeleteEnqueued || err instanceof NamespacedOwnerOfClusterScopedObject) return 'forget';
      this.#log('error syncing item', { item: identityString(node.identity), error: err instanceof Error ? err.message : String(err) });
      return 'requeue';
    }
    // A virtual node looked up live but not yet seen by an informer: look again.
    return node.virtual ? 'requeue' : 'forget';
  }

  /**
   * Looks up the live object of `item` and deletes it iff its uid matches,
   * it is not deleting its own dependents, and it has no solid owner;
   * removes its dangling references when it does have one.
   */
  #attemptToDeleteItem(item: GraphNode): void {
    // Being deleted is a one-way trip: wait for the final deletion, then process the dependents.
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = this.#o.ops.getObject(item.identity);
    if (!latest || latest.metadata?.uid !== item.identity.uid) {
      this.#enqueueVirtualDelete(item.identity);
      throw new VirtualDeleteEnqueued();
    }
    if (item.deletingDependents) {
      this.#processDeletingDependentsItem(item);
      return;
    }
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const classification = this.#classifyReferences(item, refs);
    const deps = [...item.dependents];
    const action = planAttemptToDelete(classification, latest.metadata?.finalizers ?? [], {
      count: deps.length,
      anyDeletingDependents: deps.some((d) => d.deletingDependents),
    });
    const id = identityString(item.identity);
    switch (action.type) {
      case 'none':
        return;
      case 'removeOwnerRefs':
        this.#log('remove dangling references and waiting references for item', {
          item: id,
          dangling: classification.dangling.map((r) => r.uid),
          waitingForDependentsDeletion: classification.waitingForDependentsDeletion.map((r) => r.uid),
        });
        this.#o.ops.deleteOwnerRefs(item.identity, action.uids);
        return;
      case 'delete':
        if (action.unblockFirst) {
          this.#log(
            'processing item, some of its owners and its dependent have FinalizerDeletingDependents, to prevent potential cycle, its ownerReferences are going to be modified to be non-blocking, then the item is going to be deleted with Foreground',
            { item: id },
          );
          this.#o.ops.unblockOwnerReferences(item.identity);
        }
        if (classification.waitingForDependentsDeletion.length > 0 && action.policy === 'Foreground' && deps.length > 0) {
          this.#log('at least one owner of item has FinalizerDeletingDependents, and the item itself has dependents, so it is going to be deleted in Foreground', { item: id });
        } else {
          this.#log('Deleting item', { item: id, propagationPolicy: action.policy });
        }
        try {
          this.#o.ops.deleteObject(item.identity, latest.metadata?.resourceVersion, latest.metadata?.ownerReferences, action.policy);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          this.#enqueueVirtualDelete(item.identity);
          throw new VirtualDeleteEnqueued();
        }
    }
  }

  /** An owner deleting in the foreground: gone once no dependent blocks it; meanwhile its blocking dependents are deleted. */
  #processDeletingDependentsItem(item: GraphNode): void {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      this.#log('remove DeleteDependents finalizer for item', { item: identityString(item.identity) });
      this.#o.ops.removeFinalizer(item.identity, foregroundFinalizer);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
  }

  #classifyReferences(item: GraphNode, refs: readonly OwnerReference[]): Classification {
    const out: Classification = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      const owner = this.#liveOwner(ref, item);
      if (!owner) out.dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(foregroundFinalizer)) out.waitingForDependentsDeletion.push(ref);
      else out.solid.push(ref);
    }
    return out;
  }

  /** isDangling: the owner `ref` names, live with the same uid, or undefined when it is absent. */
  #liveOwner(ref: OwnerReference, item: GraphNode): ApiObject | undefined {
    const { client, namespaced } = this.#o.ops.resource(ref.apiVersion, ref.kind);
    if (item.identity.namespace === '' && namespaced) {
      // Never resolvable: not collected, reported once per lookup, not retried.
      this.#log('item is cluster-scoped, but refers to a namespaced owner', { item: identityString(item.identity), owner: ref.uid });
      this.#reportInvalidNamespace(item.identity, item.owners, ref.uid);
      throw new NamespacedOwnerOfClusterScopedObject('cluster-scoped objects cannot refer to namespaced owners');
    }
    const key = identityOfRef(ref, '');
    if (this.graph.absentOwnerCache.has(key)) return undefined;
    key.namespace = item.identity.namespace;
    if (this.graph.absentOwnerCache.has(key)) return undefined;
    if (!namespaced) key.namespace = '';
    const owner = client.get(namespaced ? item.identity.namespace : undefined, ref.name);
    if (!owner || owner.metadata?.uid !== ref.uid) {
      this.graph.absentOwnerCache.add(key);
      return undefined;
    }
    return owner;
  }

  /** Removes the owner's references from its dependents, then its orphan finalizer. */
  #attemptToOrphanWorker(uid: string): Action {
    const owner = this.graph.uidToNode.get(uid);
    if (!owner) return 'forget';
    const failures: string[] = [];
    for (const dep of owner.dependents) {
      try {
        this.#o.ops.deleteOwnerRefs(dep.identity, [owner.identity.uid]);
      } catch (err) {
        if (!isNotFound(err)) failures.push(`orphaning ${identityString(dep.identity)} failed, ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const ownerId = identityString(owner.identity);
    if (failures.length > 0) {
      const detail = failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`;
      this.#log(`orphanDependents for ${ownerId} failed with failed to orphan dependents of owner ${ownerId}, got errors: ${detail}`);
      return 'requeue';
    }
    try {
      this.#o.ops.removeFinalizer(owner.identity, orphanFinalizer);
    } catch (err) {
      this.#log(`removeOrphanFinalizer for ${ownerId} failed with ${err instanceof Error ? err.message : String(err)}`);
      return 'requeue';
    }
    return 'forget';
  }

  /** The OwnerRefInvalidNamespace warning on the dependent, as reportInvalidNamespaceOwnerRef words it. */
  #reportInvalidNamespace(dep: Identity, owners: readonly OwnerReference[], ownerUid: string): void {
    const ref = owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    const invalid = identityOfRef(ref, dep.namespace);
    this.#o.recorder.record(
      { kind: dep.kind, apiVersion: dep.apiVersion, namespace: dep.namespace, name: dep.name, uid: dep.uid },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(dep.namespace)}`,
    );
  }
}
