/**
 * client — the in-process client the node agent and the controllers use to
 * read and write API state. It is the only way they touch it, so every write
 * goes through the registry (resourceVersion, graceful deletion, watch
 * events). Events and the writes of ResourceClients (resource-client.ts) are
 * validated like a kubectl request; pod status, bindings, namespace
 * finalization and the node object are server-internal writes
 * (`internalUpdate`), which skip update validation.
 *
 * Two roles: `Client` is the node agent's (pods on its node, status, events,
 * config); `ControllerClient` the controllers' (any resource by name, for
 * informers, plus the subresources they write).
 *
 * Synchronous, because the registry is; no state of its own (one
 * ResourceClient per resource is made on first use and kept).
 */
import type { ConfigMap, Namespace, Pod, PodStatus, Secret } from '../api/api.ts';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { ApiError, errors } from '../api/api.ts';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { TokenIssuer } from '../auth/serviceaccount/token-request.ts';
import { bindPod, type Registry, type ResourceStore, type WatchEvent } from '../registry/registry.ts';
import type { EventClient } from './event-client.ts';
import { resourceClient, resourceGroups, type ApiObject, type Resources, type ResourceClient } from './resource-client.ts';

export type { EventClient } from './event-client.ts';
export { resourceClient, resourceGroups } from './resource-client.ts';
export type {
  ApiObject,
  Resources,
  ListOptions,
  ObjectList,
  ResourceClient,
  ResourceDescription,
  ResourceWatchEvent,
  ResourceWatchOptions,
  StopWatch,
} from './resource-client.ts';
export { EventRecorder } from './event-recorder.ts';
export type { EventSource, ObjectRef } from './event-recorder.ts';

export interface PodClient {
  get(namespace: string, name: string): Pod | undefined;
  /**
   * Lists then watches pods matching `fieldSelector`, starting with synthetic
   * ADDED events for the current state. Returns the function that stops it.
   */
  watch(fieldSelector: string, onEvent: (e: WatchEvent) => void): () => void;
  /** Replaces the status of the pod with this uid; false if it is gone or was replaced. */
  updateStatus(namespace: string, name: string, uid: string, status: PodStatus): boolean;
  /** Final removal after the node stopped everything (grace 0, uid precondition). */
  deleteFinal(namespace: string, name: string, uid: string): void;
  bind(namespace: string, name: string, nodeName: string): void;
}

export interface ConfigClient {
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getSecret(namespace: string, name: string): Secret | undefined;
  /** For persistentVolumeClaim and ephemeral volumes; absent in clients that serve no storage. */
  getPersistentVolumeClaim?(namespace: string, name: string): PersistentVolumeClaim | undefined;
  getPersistentVolume?(name: string): PersistentVolume | undefined;
  /** TokenRequest (serviceaccounts/<name>/token) for projected token volumes; absent in clients that issue no tokens. */
  createServiceAccountToken?(namespace: string, serviceAccountName: string, request: TokenRequest): Promise<TokenRequest>;
}

export interface NodeClient {
  /** Creates the node object, or replaces its status and sets its own labels and podCIDR, keeping what others set (labels, taints, unschedulable). */
  upsert(node: any): void;
}

export interface Client {
  pods: PodClient;
  events: EventClient;
  config: ConfigClient;
  nodes: NodeClient;
}

export interface NamespaceClient {
  /**
   * The namespaces/finalize subresource: writes `namespace.spec.finalizers`
   * and nothing else, conditional on its metadata.resourceVersion (409
   * Conflict if stale, 404 if gone). A terminating namespace left with no
   * finalizer is deleted; the last state is returned.
   */
  finalize(namespace: Namespace): Namespace;
}

export interface ControllerClient {
  /** A resource by plural name (`resourceGroups` says its group). */
  resource<R extends keyof Resources>(name: R): ResourceClient<Resources[R]>;
  /** Every resource served, in the kind table's order: what discovery tells a controller. */
  resources(): readonly ResourceClient<ApiObject>[];
  pods: Pick<PodClient, 'bind'>;
  namespaces: NamespaceClient;
  events: EventClient;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export interface InProcessClientOptions {
  /** The API server's ServiceAccount token issuer, for the node's TokenRequests. */
  serviceAccountTokens?: TokenIssuer;
}

export function inProcessClient(registry: Registry, now: () => number = Date.now, opts: InProcessClientOptions = {}): Client & ControllerClient {
  const { pods, events, configmaps, secrets, nodes, namespaces } = registry;
  const clients = new Map<ResourceStore<any>, ResourceClient<any>>();
  const clientOf = <T extends ApiObject>(rs: ResourceStore<T>): ResourceClient<T> => {
    let c = clients.get(rs);
    if (!c) clients.set(rs, (c = resourceClient(rs)));
    return c;
  };
  return {
    resource<R extends keyof Resources>(name: R): ResourceClient<Resources[R]> {
      const { group, version } = resourceGroups[name];
      const rs = registry.resource(group, version, name);
      if (!rs) throw new Error(`the API serves no ${group || 'core'}/${version} ${name}`);
      return clientOf(rs as ResourceStore<Resources[R]>);
    },
    resources: () => registry.resources().map((rs) => clientOf(rs)),
    namespaces: {
      finalize(ns) {
        const name = ns.metadata?.name ?? '';
        return namespaces.internalUpdate(undefined, name, (cur) => {
          const rv = ns.metadata?.resourceVersion;
          if (rv && rv !== cur.metadata.resourceVersion) {
            throw errors.conflict('namespaces', name, 'the object has been modified; please apply your changes to the latest version and try again');
          }
          cur.spec = { ...cur.spec, finalizers: [...(ns.spec?.finalizers ?? [])] };
          return cur;
        });
      },
    },
    pods: {
      get: (ns, name) => pods.find(ns, name),
      watch: (fieldSelector, onEvent) => pods.watch(undefined, { fieldSelector, resourceVersion: '0' }, onEvent),
      updateStatus(ns, name, uid, status) {
        try {
          pods.internalUpdate(ns, name, (cur) => {
            if (cur.metadata.uid !== uid) throw new ApiError(409, 'Conflict', 'pod was replaced');
            cur.status = status;
            return cur;
          });
          return true;
        } catch (err) {
          if (isNotFound(err) || (err instanceof ApiError && err.code === 409)) return false;
          throw err;
        }
      },
      deleteFinal(ns, name, uid) {
        try {
          pods.delete(ns, name, { gracePeriodSeconds: 0, preconditions: { uid } });
        } catch (err) {
          if (isNotFound(err) || (err instanceof ApiError && err.code === 409)) return;
          throw err;
        }
      },
      bind: (ns, name, nodeName) => {
        bindPod(pods, ns, name, nodeName, now());
      },
    },
    events: {
      create: (ev) => events.create(ev.metadata!.namespace!, ev),
      update(ev) {
        try {
          events.update(ev.metadata!.namespace!, ev.metadata!.name!, ev);
          return true;
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      },
    },
    config: {
      getConfigMap: (ns, name) => configmaps.find(ns, name),
      getSecret: (ns, name) => secrets.find(ns, name),
      getPersistentVolumeClaim: (ns, name) => registry.resource('', 'v1', 'persistentvolumeclaims')?.find(ns, name) as PersistentVolumeClaim | undefined,
      getPersistentVolume: (name) => registry.resource('', 'v1', 'persistentvolumes')?.find(undefined, name) as PersistentVolume | undefined,
      ...(opts.serviceAccountTokens ? { createServiceAccountToken: (ns: string, name: string, request: TokenRequest) => opts.serviceAccountTokens!.createToken(ns, name, request) } : {}),
    },
    nodes: {
      upsert(node) {
        const name = node.metadata.name;
        const cur = nodes.find(undefined, name);
        if (!cur) {
          nodes.create(undefined, node);
          return;
        }
        // As the kubelet's heartbeat and re-registration: its labels and
        // podCIDR are set, what others wrote (labels, taints, unschedulable) stays.
        nodes.internalUpdate(undefined, name, (n) => ({
          ...node,
          metadata: { ...n.metadata, labels: { ...n.metadata?.labels, ...node.metadata.labels } },
          spec: { ...n.spec, ...node.spec },
        }));
      },
    },
  };
}
