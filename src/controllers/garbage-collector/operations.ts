/**
 * The collector's writes and live reads (garbagecollector/operations.go and
 * patch.go): objects are found by apiVersion and kind through the resources
 * the client serves, read live (never from a cache), and changed with
 * conditional updates, retried on conflict.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../api/api.ts';
import type { ApiObject, ResourceClient } from '../../client/client.ts';
import type { Identity } from './graph.ts';
import { identityString } from './graph.ts';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

/** No served resource has this apiVersion and kind (upstream restMappingError). */
export class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409;
}

export function apiVersionOf(d: { group: string; version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

/** client-go's retry.DefaultBackoff has 4 steps. */
const updateMaxRetries = 4;

export class Operations {
  readonly #byKind = new Map<string, ResourceClient<ApiObject>>();

  constructor(clients: readonly ResourceClient<ApiObject>[]) {
    for (const c of clients) {
      const d = c.description;
      if (d.kind) this.#byKind.set(`${apiVersionOf(d)}|${d.kind}`, c);
    }
  }

  /** The resource of `apiVersion`/`kind` (upstream apiResource). */
  resource(apiVersion: string, kind: string): { client: ResourceClient<ApiObject>; namespaced: boolean } {
    const client = this.#byKind.get(`${apiVersion}|${kind}`);
    if (!client) throw new RestMappingError(apiVersion, kind);
    return { client, namespaced: client.description.namespaced };
  }

  /** The live object at `id`'s coordinates (any uid); undefined when there is none. */
  getObject(id: Identity): ApiObject | undefined {
    const { client, namespaced } = this.resource(id.apiVersion, id.kind);
    // A namespaced kind without a namespace has no object path: not found, as kube-apiserver answers.
    if (namespaced && id.namespace === '') return undefined;
    return client.get(namespaced ? id.namespace : undefined, id.name);
  }

  /**
   * Deletes `id` if its uid (and, when given, resourceVersion) still match.
   * A conflict on resourceVersion alone, with ownerReferences unchanged, is
   * retried without it, so unrelated updates do not starve the collector.
   */
  deleteObject(id: Identity, resourceVersion: string | undefined, owners: readonly OwnerReference[] | undefined, policy: PropagationPolicy): void {
    const { client, namespaced } = this.resource(id.apiVersion, id.kind);
    const ns = namespaced ? id.namespace : undefined;
    try {
      client.delete(ns, id.name, { preconditions: { uid: id.uid, resourceVersion: resourceVersion || undefined }, propagationPolicy: policy });
    } catch (err) {
      if (!isConflict(err) || !resourceVersion) throw err;
      const live = client.get(ns, id.name);
      if (!live) return;
      if (live.metadata?.uid === id.uid && live.metadata?.resourceVersion !== resourceVersion && isDeepStrictEqual(live.metadata?.ownerReferences, owners)) {
        client.delete(ns, id.name, { preconditions: { uid: id.uid }, propagationPolicy: policy });
        return;
      }
      throw err;
    }
  }

  /**
   * Read-modify-write of `id`'s object (only while its uid matches): `mutate`
   * returns the changed copy, or undefined for nothing to do. Returns false
   * when the object is gone.
   */
  update(id: Identity, mutate: (obj: ApiObject) => ApiObject | undefined): boolean {
    const { client, namespaced } = this.resource(id.apiVersion, id.kind);
    const ns = namespaced ? id.namespace : undefined;
    for (let attempt = 1; ; attempt++) {
      const cur = client.get(ns, id.name);
      if (!cur || cur.metadata?.uid !== id.uid) return false;
      const next = mutate(structuredClone(cur));
      if (!next) return true;
      try {
        client.update(ns, next);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!isConflict(err)) throw err;
        if (attempt >= updateMaxRetries) {
          throw new Error(`updateMaxRetries(${updateMaxRetries}) has reached. The garbage collector will retry later for owner ${identityString(id)}`);
        }
      }
    }
  }

  /** Removes `finalizer` from `id`'s object (gone or already without it: nothing to do). */
  removeFinalizer(id: Identity, finalizer: string): void {
    this.update(id, (obj) => {
      const finalizers = obj.metadata?.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      obj.metadata!.finalizers = finalizers.filter((f) => f !== finalizer);
      return obj;
    });
  }

  /** Removes the ownerReferences to `ownerUids` from `id`'s object (the delete-owner-ref patch). */
  deleteOwnerRefs(id: Identity, ownerUids: readonly string[]): boolean {
    return this.update(id, (obj) => {
      const refs = obj.metadata?.ownerReferences ?? [];
      const kept = refs.filter((r) => !ownerUids.includes(r.uid));
      if (kept.length === refs.length) return undefined;
      if (kept.length > 0) obj.metadata!.ownerReferences = kept;
      else delete obj.metadata!.ownerReferences;
      return obj;
    });
  }

  /** Sets blockOwnerDeletion=false on every blocking ownerReference of `id`'s object. */
  unblockOwnerReferences(id: Identity): boolean {
    return this.update(id, (obj) => {
      const refs = obj.metadata?.ownerReferences ?? [];
      if (!refs.some((r) => r.blockOwnerDeletion === true)) return undefined;
      obj.metadata!.ownerReferences = refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
      return obj;
    });
  }
}
