/**
 * registry — per-resource storage rules on top of the store.
 *
 * Owns: one ResourceStore per API resource (pods, events, namespaces,
 * configmaps, secrets, nodes), the built-in namespaces, namespace finalization
 * and event expiry. Knows Kubernetes semantics (resourceVersion, uid,
 * finalizers, graceful deletion, selectors); knows nothing about HTTP.
 *
 * State: only the store. Loops: the namespace finalizer (watch, plus a 1 s
 * tick that acts only while a namespace terminates) and the event TTL sweep
 * (every minute).
 */
import { errors } from '../api/api.ts';
import type { Store } from '../store/store.ts';
import { NamespaceFinalizer } from './namespace-finalizer.ts';
import { ResourceStore } from './resource-store.ts';
import { configMapStrategy } from './strategies/configmaps.ts';
import { eventStrategy } from './strategies/events.ts';
import { namespaceStrategy } from './strategies/namespaces.ts';
import { nodeStrategy } from './strategies/nodes.ts';
import { podStrategy } from './strategies/pods.ts';
import { secretStrategy } from './strategies/secrets.ts';

export { ResourceStore } from './resource-store.ts';
export type { ApplyOptions, DeleteOptions, DeleteResult, ListOptions, WatchEvent, WatchOptions, WriteOptions } from './resource-store.ts';
export type { ResourceInfo } from './strategy.ts';
export { rfc3339 } from './object-meta.ts';
export { bindPod } from './pod-binding.ts';

export const builtinNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Events expire after one hour, as with kube-apiserver's default --event-ttl. */
const eventTtlMs = 60 * 60 * 1000;

export interface RegistryOptions {
  now?: () => number;
}

export class Registry {
  readonly pods: ResourceStore;
  readonly events: ResourceStore;
  readonly namespaces: ResourceStore;
  readonly configmaps: ResourceStore;
  readonly secrets: ResourceStore;
  readonly nodes: ResourceStore;
  readonly #all: ResourceStore[];
  readonly #now: () => number;
  #finalizer: NamespaceFinalizer;
  #ttlTimer: NodeJS.Timeout | undefined;

  constructor(store: Store, opts: RegistryOptions = {}) {
    const now = opts.now ?? Date.now;
    this.#now = now;
    this.namespaces = new ResourceStore(namespaceStrategy, { store, now });
    const checkNamespace = (ns: string, resource: string, name: string) => {
      const n = this.namespaces.find(undefined, ns);
      if (!n) throw errors.notFound('namespaces', ns);
      if (n.metadata.deletionTimestamp) {
        // The NamespaceLifecycle admission plugin's refusal, with its cause.
        const err = errors.forbidden(resource, name, `unable to create new content in namespace ${ns} because it is being terminated`);
        err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }];
        throw err;
      }
    };
    const deps = { store, now, checkNamespace };
    this.pods = new ResourceStore(podStrategy, deps);
    this.events = new ResourceStore(eventStrategy, deps);
    this.configmaps = new ResourceStore(configMapStrategy, deps);
    this.secrets = new ResourceStore(secretStrategy, deps);
    this.nodes = new ResourceStore(nodeStrategy, { store, now });
    this.#all = [this.pods, this.events, this.namespaces, this.configmaps, this.secrets, this.nodes];
    this.#finalizer = new NamespaceFinalizer({
      namespaces: this.namespaces,
      pods: this.pods,
      others: [this.configmaps, this.secrets, this.events],
    });
  }

  /** Every resource, for discovery and routing. */
  resources(): readonly ResourceStore[] {
    return this.#all;
  }

  /** By plural resource name (`pods`), or undefined. */
  resource(name: string): ResourceStore | undefined {
    return this.#all.find((r) => r.info.resource === name);
  }

  /** Creates the built-in namespaces that do not exist yet. Idempotent. */
  bootstrap(): void {
    for (const name of builtinNamespaces) {
      if (!this.namespaces.find(undefined, name)) {
        this.namespaces.create(undefined, { metadata: { name } });
      }
    }
  }

  start(signal?: AbortSignal): void {
    this.#finalizer.start(signal);
    this.#ttlTimer = setInterval(() => this.expireEvents(), 60_000);
    this.#ttlTimer.unref();
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    this.#finalizer.stop();
    if (this.#ttlTimer) clearInterval(this.#ttlTimer);
    this.#ttlTimer = undefined;
  }

  /** Deletes events whose last occurrence is older than the TTL. */
  expireEvents(): number {
    const cutoff = this.#now() - eventTtlMs;
    let n = 0;
    for (const ev of this.events.list(undefined).items) {
      const last = Date.parse(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp);
      if (last < cutoff) {
        try {
          this.events.delete(ev.metadata.namespace, ev.metadata.name);
          n++;
        } catch {
          // Gone already.
        }
      }
    }
    return n;
  }
}
