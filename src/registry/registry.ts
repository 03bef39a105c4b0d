/**
 * registry — per-resource storage rules on top of the store.
 *
 * Owns: one ResourceStore per kind that api/groups.ts declares (looked up by
 * group, version and resource; the core kinds also by name: `registry.pods`),
 * and the built-in namespaces. Knows Kubernetes semantics (resourceVersion, uid,
 * finalizers, graceful deletion, selectors); knows nothing about HTTP.
 *
 * State: only the store. Loops: none; emptying terminating namespaces and
 * expiring events are controllers' work (controllers/namespace,
 * controllers/event-ttl).
 */
import { ApiError, errors } from '../api/api.ts';
import type { Stored } from '../api/types.ts';
import type { Store } from '../store/store.ts';
import type { ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { apiGroups } from '../api/groups.ts';
import type { ApiGroup } from '../api/kind.ts';
import { admitDefaultStorageClass, claimResizeRefusal, defaultStandardStorageClass } from '../api/defaults/storage-defaults.ts';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { allocatorFor, type AllocatorOptions } from './allocators/allocators.ts';
import type { Allocator } from './allocators/allocator.ts';
import { ResourceStore } from './resource-store.ts';
import { generateName } from './object-meta.ts';
import { admitPodServiceAccount } from '../api/core/serviceaccount/serviceaccount-admission.ts';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';

export { ResourceStore } from './resource-store.ts';
export type { ApplyOptions, DeleteOptions, DeleteResult, ListOptions, WatchEvent, WatchOptions, WriteOptions } from './resource-store.ts';
export type { ResourceInfo } from '../api/kind.ts';
export { bindPod } from './pod-binding.ts';

export const builtinNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export interface RegistryOptions {
  now?: () => number;
  /** The API groups to serve; api/groups.ts's table unless a test narrows it. */
  groups?: readonly ApiGroup[];
  /** Pool ranges (service CIDR, node ports) and randomness; kubeadm's defaults unless a test narrows them. */
  allocators?: AllocatorOptions;
  /**
   * kube-apiserver's ServiceAccount admission plugin on pod create
   * (api/core/serviceaccount/serviceaccount-admission.ts): on in a serving
   * node; off by default so that tests may create pods in namespaces
   * without ServiceAccounts.
   */
  serviceAccountAdmission?: boolean;
}

function resourcePath(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

export class Registry {
  readonly pods: ResourceStore<Pod>;
  readonly events: ResourceStore<Event>;
  readonly namespaces: ResourceStore<Namespace>;
  readonly configmaps: ResourceStore<ConfigMap>;
  readonly secrets: ResourceStore<Secret>;
  readonly nodes: ResourceStore<Node>;
  readonly services: ResourceStore<Service>;
  readonly endpoints: ResourceStore<Endpoints>;
  readonly endpointSlices: ResourceStore<EndpointSlice>;
  /** Every resource, keyed `group/version/resource` (`/v1/pods` for the core group). */
  readonly #byPath = new Map<string, ResourceStore<any>>();

  constructor(store: Store, opts: RegistryOptions = {}) {
    const now = opts.now ?? Date.now;
    const checkNamespace = (ns: string, resource: string, name: string) => {
      const n = this.namespaces.find(undefined, ns);
      if (!n) throw errors.notFound('namespaces', ns);
      if (n.metadata?.deletionTimestamp) {
        // The NamespaceLifecycle admission plugin's refusal, with its cause.
        const err = errors.forbidden(resource, name, `unable to create new content in namespace ${ns} because it is being terminated`);
        err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }];
        throw err;
      }
    };
    for (const group of opts.groups ?? apiGroups) {
      for (const kind of group.kinds) {
        const rs = new ResourceStore(kind, {
          store,
          now,
          checkNamespace,
          allocator:
            allocatorFor(kind.info, opts.allocators) ??
            (kind.info.group === '' && kind.info.resource === 'persistentvolumeclaims' ? this.#claimAdmission() : undefined) ??
            (kind.info.group === '' && kind.info.resource === 'pods' && opts.serviceAccountAdmission ? this.#podAdmission(checkNamespace) : undefined),
          afterDelete: kind.info.group === '' && kind.info.resource === 'services' ? (svc) => this.#deleteServiceEndpoints(svc) : undefined,
        });
        this.#byPath.set(resourcePath(kind.info.group, kind.info.version, kind.info.resource), rs);
      }
    }
    this.pods = this.#core<Pod>('pods');
    this.events = this.#core<Event>('events');
    this.namespaces = this.#core<Namespace>('namespaces');
    this.configmaps = this.#core<ConfigMap>('configmaps');
    this.secrets = this.#core<Secret>('secrets');
    this.nodes = this.#core<Node>('nodes');
    this.services = this.#core<Service>('services');
    this.endpoints = this.#core<Endpoints>('endpoints');
    const slices = this.resource('discovery.k8s.io', 'v1', 'endpointslices');
    if (!slices) throw new Error('the discovery.k8s.io group has no endpointslices');
    this.endpointSlices = slices as ResourceStore<EndpointSlice>;
  }

  /** Every resource, in the groups' table order, for discovery and routing. */
  resources(): readonly ResourceStore<any>[] {
    return [...this.#byPath.values()];
  }

  /** A resource by group ('' for core), version and plural name, or undefined. */
  resource(group: string, version: string, resource: string): ResourceStore<any> | undefined {
    return this.#byPath.get(resourcePath(group, version, resource));
  }

  /**
   * A deleted Service takes its Endpoints of the same name along, as
   * kube-apiserver's service storage does (AfterDelete), so a new Service of
   * that name never starts with stale endpoints.
   */
  #deleteServiceEndpoints(svc: Stored<Service>): void {
    try {
      this.endpoints.delete(svc.metadata.namespace, svc.metadata.name);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  /**
   * The DefaultStorageClass and PersistentVolumeClaimResize admission plugins,
   * which read the StorageClasses: run where kube-apiserver runs admission,
   * after defaulting and before validation.
   */
  #claimAdmission(): Allocator<PersistentVolumeClaim> {
    const classes = (): StorageClass[] => (this.resource('storage.k8s.io', 'v1', 'storageclasses')?.list(undefined).items ?? []) as StorageClass[];
    return {
      allocate: (pvc, old) => {
        if (!old) return admitDefaultStorageClass(pvc, classes());
        const refusal = claimResizeRefusal(pvc, old, classes());
        if (refusal) throw errors.forbidden('persistentvolumeclaims', pvc.metadata.name, refusal);
      },
    };
  }

  /**
   * The ServiceAccount admission plugin, which reads the pod's ServiceAccount:
   * on create only, after NamespaceLifecycle (a missing or terminating
   * namespace is refused as such, not for its missing ServiceAccount).
   */
  #podAdmission(checkNamespace: (ns: string, resource: string, name: string) => void): Allocator<Pod> {
    const accounts = () => this.resource('', 'v1', 'serviceaccounts');
    return {
      allocate: (pod, old) => {
        if (old) return;
        checkNamespace(pod.metadata.namespace ?? '', 'pods', pod.metadata.name);
        admitPodServiceAccount(pod, {
          serviceAccount: (ns, name) => accounts()?.find(ns, name) as ServiceAccount | undefined,
          generateName,
        });
      },
    };
  }

  #core<T>(resource: string): ResourceStore<T> {
    const rs = this.resource('', 'v1', resource);
    if (!rs) throw new Error(`the core group has no ${resource}`);
    return rs as ResourceStore<T>;
  }

  /**
   * Creates the built-in namespaces and the default StorageClass `standard`
   * (kind's, for the local-path provisioner) that do not exist yet, as k3s
   * re-applies its packaged manifests at start. Idempotent.
   */
  bootstrap(): void {
    for (const name of builtinNamespaces) {
      if (!this.namespaces.find(undefined, name)) {
        this.namespaces.create(undefined, { metadata: { name } });
      }
    }
    const classes = this.resource('storage.k8s.io', 'v1', 'storageclasses');
    const standard = defaultStandardStorageClass();
    if (classes && !classes.find(undefined, standard.metadata!.name!)) classes.create(undefined, standard);
  }
}
