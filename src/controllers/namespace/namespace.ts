/**
 * The namespace controller's deletion half: empties a Terminating namespace
 * and then removes its `kubernetes` spec finalizer so storage deletes it.
 *
 * Level-triggered: woken by namespace changes and pod deletions, and every
 * second as a safety net (a pass with no terminating namespace does nothing).
 * Pods are deleted gracefully, so the kubelet stops their containers first;
 * the namespace goes once its last object is gone.
 */
import type { ResourceStore } from './resource-store.ts';

export interface NamespaceFinalizerDeps {
  namespaces: ResourceStore<any>;
  pods: ResourceStore<any>;
  /** Deleted at once, without grace. */
  others: ResourceStore<any>[];
}

export class NamespaceFinalizer {
  #deps: NamespaceFinalizerDeps;
  #stops: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pending = false;

  constructor(deps: NamespaceFinalizerDeps) {
    this.#deps = deps;
  }

  start(signal?: AbortSignal): void {
    const wake = () => this.#schedule();
    this.#stops.push(this.#deps.namespaces.watch(undefined, { resourceVersion: '0' }, wake));
    this.#stops.push(this.#deps.pods.watch(undefined, { resourceVersion: this.#deps.pods.currentResourceVersion() }, (e) => {
      if (e.type === 'DELETED') wake();
    }));
    this.#timer = setInterval(wake, 1000);
    this.#timer.unref();
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    for (const s of this.#stops.splice(0)) s();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      this.syncAll();
    });
  }

  /** One pass over every terminating namespace. */
  syncAll(): void {
    for (const ns of this.#deps.namespaces.list(undefined).items) {
      if (ns.metadata.deletionTimestamp) this.#sync(ns.metadata.name);
    }
  }

  #sync(name: string): void {
    for (const store of this.#deps.others) {
      for (const o of store.list(name).items) {
        try {
          store.delete(name, o.metadata.name, { gracePeriodSeconds: 0 });
        } catch {
          // Already gone: nothing to do.
        }
      }
    }
    const pods = this.#deps.pods.list(name).items;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      try {
        this.#deps.pods.delete(name, p.metadata.name);
      } catch {
        // Already gone.
      }
    }
    // Like the namespace controller, wait until every object is gone, also those a finalizer holds.
    if ([this.#deps.pods, ...this.#deps.others].some((store) => store.count(name) > 0)) return;
    try {
      this.#deps.namespaces.internalUpdate(undefined, name, (ns) => {
        ns.spec = { ...(ns.spec ?? {}), finalizers: (ns.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes') };
        return ns;
      });
    } catch {
      // Deleted concurrently.
    }
  }
}
