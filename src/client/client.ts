/**
 * client — the in-process client the node agent and the scheduler use to read
 * pods and write status, bindings and events. It is the only way they touch
 * API state, so every write goes through the registry (resourceVersion,
 * graceful deletion, watch events). Events are validated like a kubectl
 * request; pod status, bindings and the node object are server-internal
 * writes (`internalUpdate`), which skip update validation.
 *
 * Synchronous, because the registry is; no state of its own.
 */
import type { ConfigMap, Event, Pod, PodStatus, Secret } from '../api/api.ts';
import { ApiError } from '../api/api.ts';
import { bindPod, type Registry, type WatchEvent } from '../registry/registry.ts';

import type { EventClient } from './event-client.ts';

export type { EventClient } from './event-client.ts';
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
}

export interface NodeClient {
  /** Creates or replaces the node object and its status. */
  upsert(node: any): void;
}

export interface Client {
  pods: PodClient;
  events: EventClient;
  config: ConfigClient;
  nodes: NodeClient;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export function inProcessClient(registry: Registry, now: () => number = Date.now): Client {
  const { pods, events, configmaps, secrets, nodes } = registry;
  return {
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
    },
    nodes: {
      upsert(node) {
        const name = node.metadata.name;
        const cur = nodes.find(undefined, name);
        if (!cur) {
          nodes.create(undefined, node);
          return;
        }
        nodes.internalUpdate(undefined, name, (n) => ({ ...node, metadata: { ...n.metadata, labels: node.metadata.labels } }));
      },
    },
  };
}
