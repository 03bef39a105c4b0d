/**
 * A typed client for one API resource, as client-go's typed clients are:
 * get, list, watch, create, update, delete. Controllers and their informers
 * read and write through it; it is the only way they touch API state.
 *
 * Objects it returns are the store's and may be deeply frozen (watch events
 * share one frozen value between every watcher): copy before changing. Objects
 * it is given are never changed.
 *
 * Errors are the registry's ApiErrors: 404 NotFound, 409 Conflict (a stale
 * metadata.resourceVersion or a failed precondition), 410 Expired (a watch
 * from a compacted resourceVersion), 403/422 as for any request.
 */
import type { ConfigMap, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service, ServiceAccount, Endpoints } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { DeleteOptions, ResourceStore } from '../registry/registry.ts';

/** Any API object: what informers, listers and queues need of one. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** The resources a controller may ask for by plural name, with their types; `resourceGroups` says where each is served. */
export interface Resources {
  pods: Pod;
  namespaces: Namespace;
  events: Event;
  configmaps: ConfigMap;
  secrets: Secret;
  nodes: Node;
  services: Service;
  endpoints: Endpoints;
  endpointslices: EndpointSlice;
  deployments: Deployment;
  replicasets: ReplicaSet;
  daemonsets: DaemonSet;
  controllerrevisions: ControllerRevision;
  statefulsets: StatefulSet;
  jobs: Job;
  cronjobs: CronJob;
  persistentvolumes: PersistentVolume;
  persistentvolumeclaims: PersistentVolumeClaim;
  storageclasses: StorageClass;
  serviceaccounts: ServiceAccount;
  roles: Role;
  clusterroles: ClusterRole;
  rolebindings: RoleBinding;
  clusterrolebindings: ClusterRoleBinding;
}

/** The group and version of each resource in `Resources` ('' for the core group). */
export const resourceGroups: { readonly [R in keyof Resources]: { group: string; version: string } } = {
  pods: { group: '', version: 'v1' },
  namespaces: { group: '', version: 'v1' },
  events: { group: '', version: 'v1' },
  configmaps: { group: '', version: 'v1' },
  secrets: { group: '', version: 'v1' },
  nodes: { group: '', version: 'v1' },
  services: { group: '', version: 'v1' },
  endpoints: { group: '', version: 'v1' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1' },
  deployments: { group: 'apps', version: 'v1' },
  replicasets: { group: 'apps', version: 'v1' },
  daemonsets: { group: 'apps', version: 'v1' },
  controllerrevisions: { group: 'apps', version: 'v1' },
  statefulsets: { group: 'apps', version: 'v1' },
  jobs: { group: 'batch', version: 'v1' },
  cronjobs: { group: 'batch', version: 'v1' },
  persistentvolumes: { group: '', version: 'v1' },
  persistentvolumeclaims: { group: '', version: 'v1' },
  storageclasses: { group: 'storage.k8s.io', version: 'v1' },
  serviceaccounts: { group: '', version: 'v1' },
  roles: { group: 'rbac.authorization.k8s.io', version: 'v1' },
  clusterroles: { group: 'rbac.authorization.k8s.io', version: 'v1' },
  rolebindings: { group: 'rbac.authorization.k8s.io', version: 'v1' },
  clusterrolebindings: { group: 'rbac.authorization.k8s.io', version: 'v1' },
};

/** What discovery says of a resource, as much as controllers need. */
export interface ResourceDescription {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: `pods`. */
  resource: string;
  /** The kind its objects have (`Pod`); what an ownerReference names. */
  kind?: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectList<T> {
  items: T[];
  /** The revision the list was read at: a watch from it misses nothing. */
  resourceVersion: string;
}

export interface ResourceWatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** For DELETED, the last state, stamped with the deletion's resourceVersion. */
  object: T;
}

export interface ResourceWatchOptions extends ListOptions {
  /** Changes after this revision are delivered; '' or '0' starts with ADDED events for the current state. */
  resourceVersion: string;
}

/** Ends a watch. Calling it again, or after the watch closed, does nothing. */
export type StopWatch = () => void;

export interface ResourceClient<T extends ApiObject> {
  readonly description: ResourceDescription;
  get(namespace: string | undefined, name: string): T | undefined;
  /** In `namespace`, or in every namespace when it is undefined. */
  list(namespace: string | undefined, opts?: ListOptions): ObjectList<T>;
  /**
   * Delivers every change after `opts.resourceVersion`, in order and
   * synchronously with the write that made it (so `onEvent` must only
   * record or enqueue, never write). `onClosed` is called, once and outside
   * any delivery, when the watch ends by itself (its `onEvent` threw); never
   * after `stop`. Throws 410 Expired at once for a compacted resourceVersion.
   */
  watch(
    namespace: string | undefined,
    opts: ResourceWatchOptions,
    onEvent: (e: ResourceWatchEvent<T>) => void,
    onClosed: (err: unknown) => void,
  ): StopWatch;
  create(namespace: string | undefined, obj: T): T;
  /** Conditional on `obj.metadata.resourceVersion` when it is set (409 Conflict if stale). */
  update(namespace: string | undefined, obj: T): T;
  /**
   * The status subresource: only `obj.status` is written (404 for a resource
   * without one); conditional on `obj.metadata.resourceVersion` as `update`.
   */
  updateStatus(namespace: string | undefined, obj: T): T;
  /** Deletes, or starts a graceful deletion; 404 when it is gone. */
  delete(namespace: string | undefined, name: string, opts?: Pick<DeleteOptions, 'gracePeriodSeconds' | 'preconditions' | 'propagationPolicy'>): void;
}

/** A ResourceClient over one of the registry's ResourceStores. */
export function resourceClient<T extends ApiObject>(rs: ResourceStore<T>): ResourceClient<T> {
  const info = rs.info;
  return {
    description: { group: info.group, version: info.version, resource: info.resource, kind: info.kind, namespaced: info.namespaced, verbs: info.verbs },
    get: (ns, name) => rs.find(ns, name) as T | undefined,
    list(ns, opts = {}) {
      const { items, resourceVersion } = rs.list(ns, opts);
      return { items: items as T[], resourceVersion };
    },
    watch(ns, opts, onEvent, onClosed) {
      let state = 'open' as 'open' | 'closed' | 'stopped';
      let stop: StopWatch | undefined;
      const close = (err: unknown) => {
        if (state !== 'open') return;
        state = 'closed';
        stop?.();
        // Outside the store's delivery, which may be inside another writer's call.
        queueMicrotask(() => {
          if (state === 'closed') onClosed(err);
        });
      };
      stop = rs.watch(ns, opts, (e) => {
        if (state !== 'open' || (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED')) return;
        try {
          onEvent({ type: e.type, object: e.object as T });
        } catch (err) {
          close(err);
        }
      });
      // An event replayed inside rs.watch may have closed it before `stop` existed.
      if (state === 'closed') stop();
      return () => {
        if (state === 'open') stop?.();
        state = 'stopped';
      };
    },
    // The registry writes into the body it is given; callers' objects (often
    // frozen cache objects, or spreads sharing their parts) stay as they were.
    create: (ns, obj) => rs.create(ns, structuredClone(obj)) as T,
    update: (ns, obj) => rs.update(ns, obj.metadata?.name ?? '', structuredClone(obj)) as T,
    updateStatus: (ns, obj) => rs.update(ns, obj.metadata?.name ?? '', structuredClone(obj), { subresource: 'status' }) as T,
    delete(ns, name, opts = {}) {
      rs.delete(ns, name, { gracePeriodSeconds: opts.gracePeriodSeconds, preconditions: opts.preconditions, propagationPolicy: opts.propagationPolicy });
    },
  };
}
