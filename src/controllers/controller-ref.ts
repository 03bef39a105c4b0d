/**
 * The controller-ref manager (kube-controller-manager's
 * pkg/controller/controller_ref_manager.go): how a controller claims the
 * objects its selector matches, generic over the kind of both sides, so the
 * ReplicaSet and DaemonSet controllers claim pods and the Deployment
 * controller claims ReplicaSets with the same rules.
 *
 * For each candidate object, `claim` decides as upstream's ClaimObject:
 *   - controlled by another owner (another UID): ignored, never touched;
 *   - controlled by this owner and matching: claimed, no write (even while
 *     the owner is being deleted, since claiming costs nothing then);
 *   - controlled by this owner and no longer matching: released (the
 *     ownerReference with the owner's UID removed), unless the owner is
 *     being deleted;
 *   - an orphan that matches, is not being deleted, is in the owner's
 *     namespace, with an owner not being deleted: adopted, by adding a
 *     controller ownerReference (controller and blockOwnerDeletion true).
 *     Before the first adoption of a pass, `canAdopt` runs once (upstream's
 *     canAdoptOnce): typically `recheckOwner`, a live GET of the owner that
 *     refuses when it was deleted and recreated (another UID) or has just
 *     started deleting, which the cache may not show yet.
 *
 * Adopt and release write with a fresh read and a resourceVersion-
 * conditional update (berth's client has no patch; upstream's strategic
 * merge patch carries a UID precondition): the object is re-read, must
 * still have the UID the decision was made on, and a conflict is retried
 * a few times. NotFound is not an error (the object is gone); a release of
 * an object that was replaced (another UID) or no longer has the reference
 * is done, as upstream ignores the 422 Invalid of that case.
 *
 * A manager is for one sync pass; make a new one for the next (upstream's
 * note on canAdopt). No state beyond that pass.
 */
import { isDeepStrictEqual } from 'node:util';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError, errors } from '../api/errors.ts';
import type { ApiObject, ResourceClient } from '../client/client.ts';
import type { Selector } from './label-selector.ts';

/** The apiVersion and kind written into the ownerReferences an owner sets. */
export interface OwnerKind {
  /** `apps/v1`, `v1`, `batch/v1`. */
  apiVersion: string;
  kind: string;
}

/** The controller ownerReference of `obj` (metav1.GetControllerOf), if any. */
export function controllerRefOf(obj: ApiObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** A controller ownerReference to `owner` (metav1.NewControllerRef): controller and blockOwnerDeletion true. */
export function newControllerRef(owner: ApiObject, kind: OwnerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The owner a controller ref names, found by `lookup` (a lister in the
 * dependent's namespace), or undefined when the kind differs or the object
 * of that name has another UID (the owner was replaced): resolveControllerRef
 * of the controllers' event handlers. As upstream, only the kind is
 * compared, not the apiVersion.
 */
export function resolveControllerRef<O extends ApiObject>(
  ref: OwnerReference | undefined,
  kind: OwnerKind,
  lookup: (name: string) => O | undefined,
): O | undefined {
  if (!ref || ref.kind !== kind.kind) return undefined;
  const owner = lookup(ref.name);
  if (!owner || owner.metadata?.uid !== ref.uid) return undefined;
  return owner;
}

export interface OwnedUpdateRoute<O, T> {
  /** The object's controller of this kind (resolveControllerRef), if it exists. */
  owner(obj: T): O | undefined;
  /** The owners whose selector matches the object, for an orphan (Get<Kind>s of the object). */
  selecting(obj: T): readonly O[];
  enqueue(owner: O): void;
  /** Called after enqueuing the current controller (e.g. the minReadySeconds recheck). */
  owned?(owner: O): void;
}

/**
 * How an update of an owned object wakes owners (the update handlers of
 * pods, ReplicaSets and ControllerRevisions in the ReplicaSet, Deployment,
 * DaemonSet and StatefulSet controllers): a changed controllerRef wakes the
 * old controller; an object with a controller wakes that one only; an
 * orphan whose ref or labels changed wakes every owner that selects it, so
 * it can be adopted.
 */
export function routeOwnedUpdate<O, T extends ApiObject>(old: T, cur: T, route: OwnedUpdateRoute<O, T>): void {
  const curRef = controllerRefOf(cur);
  const oldRef = controllerRefOf(old);
  const refChanged = !isDeepStrictEqual(curRef, oldRef);
  if (refChanged && oldRef) {
    const prev = route.owner(old);
    if (prev) route.enqueue(prev);
  }
  if (curRef) {
    const owner = route.owner(cur);
    if (!owner) return;
    route.enqueue(owner);
    route.owned?.(owner);
    return;
  }
  if (refChanged || !isDeepStrictEqual(cur.metadata?.labels, old.metadata?.labels)) for (const o of route.selecting(cur)) route.enqueue(o);
}

/**
 * A canAdopt for ControllerRefManager (upstream's RecheckDeletionTimestamp
 * around each controller's fresh GET): reads `owner` from the API, and
 * throws when it is gone, was replaced (another UID), or is being deleted.
 */
export function recheckOwner<O extends ApiObject>(client: Pick<ResourceClient<O>, 'get' | 'description'>, owner: O, kind: string): () => void {
  return () => {
    const m = owner.metadata ?? {};
    let fresh: O | undefined;
    try {
      fresh = client.get(m.namespace, m.name ?? '');
    } catch (err) {
      throw new Error(`can't recheck DeletionTimestamp: ${message(err)}`);
    }
    if (!fresh) {
      const d = client.description;
      throw new Error(`can't recheck DeletionTimestamp: ${errors.notFound(d.resource, m.name ?? '', d.group).message}`);
    }
    if (fresh.metadata?.uid !== m.uid) {
      throw new Error(`can't recheck DeletionTimestamp: original ${kind} ${m.namespace ?? ''}/${m.name ?? ''} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${m.uid ?? ''}`);
    }
    if (fresh.metadata?.deletionTimestamp) {
      throw new Error(`${m.namespace ?? ''}/${m.name ?? ''} has just been deleted at ${goTime(fresh.metadata.deletionTimestamp)}`);
    }
  };
}

/** A timestamp as Go's time.Time String() prints it in UTC: `2026-01-01 00:00:00 +0000 UTC`. */
function goTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const iso = new Date(t).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

export interface ControllerRefManagerOptions<O extends ApiObject, T extends ApiObject> {
  /** The controller claiming (its cached copy: name, namespace, uid, deletionTimestamp). */
  owner: O;
  ownerKind: OwnerKind;
  /** The owner's selector, already parsed. */
  selector: Selector;
  /** Writes the dependents' ownerReferences. */
  client: Pick<ResourceClient<T>, 'get' | 'update'>;
  /** Throws when adoption must not happen (see recheckOwner); run at most once, before the first adoption. */
  canAdopt?: () => void;
}

/** What a claim pass did: the objects now owned, and the adoptions and releases that failed. */
export interface ClaimResult<T> {
  claimed: T[];
  errors: Error[];
}

/** How often a conflicting adopt or release is re-read and tried again within one pass. */
const conflictRetries = 3;

export class ControllerRefManager<O extends ApiObject, T extends ApiObject> {
  readonly #o: ControllerRefManagerOptions<O, T>;
  #canAdopt: { err: unknown } | undefined;

  constructor(opts: ControllerRefManagerOptions<O, T>) {
    this.#o = opts;
  }

  /**
   * Claims each of `objects` (see the file comment). An object matches when
   * the selector matches its labels and every filter accepts it. Adopted
   * objects are returned as written (with the new reference).
   */
  claim(objects: readonly T[], filters: readonly ((obj: T) => boolean)[] = []): ClaimResult<T> {
    const claimed: T[] = [];
    const errs: Error[] = [];
    const match = (obj: T) => this.#o.selector.matches(obj.metadata?.labels) && filters.every((f) => f(obj));
    for (const obj of objects) {
      try {
        const got = this.#claimOne(obj, match);
        if (got) claimed.push(got);
      } catch (err) {
        errs.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return { claimed, errors: errs };
  }

  /** `claim`, throwing the failures as one error (utilerrors.NewAggregate's message) when there are any. */
  claimOrThrow(objects: readonly T[], filters: readonly ((obj: T) => boolean)[] = []): T[] {
    const { claimed, errors: errs } = this.claim(objects, filters);
    if (errs.length > 0) throw aggregate(errs);
    return claimed;
  }

  #claimOne(obj: T, match: (obj: T) => boolean): T | undefined {
    const owner = this.#o.owner.metadata ?? {};
    const ref = controllerRefOf(obj);
    if (ref) {
      if (ref.uid !== owner.uid) return undefined;
      if (match(obj)) return obj;
      if (owner.deletionTimestamp) return undefined;
      this.#release(obj);
      return undefined;
    }
    if (owner.deletionTimestamp || !match(obj)) return undefined;
    if (obj.metadata?.deletionTimestamp) return undefined;
    if (owner.namespace && owner.namespace !== obj.metadata?.namespace) return undefined;
    return this.#adopt(obj);
  }

  /** Adds the controller ref; undefined when the object is gone. */
  #adopt(obj: T): T | undefined {
    const m = obj.metadata ?? {};
    if (!this.#canAdopt) {
      try {
        this.#o.canAdopt?.();
        this.#canAdopt = { err: undefined };
      } catch (err) {
        this.#canAdopt = { err };
      }
    }
    if (this.#canAdopt.err !== undefined) {
      throw new Error(`can't adopt ${kindOf(obj)} ${m.namespace ?? ''}/${m.name ?? ''} (${m.uid ?? ''}): ${message(this.#canAdopt.err)}`);
    }
    const ref = newControllerRef(this.#o.owner, this.#o.ownerKind);
    return this.#write(obj, (refs) => {
      const other = refs.find((r) => r.controller === true && r.uid !== ref.uid);
      if (other) {
        // What ValidateOwnerReferences refuses: a second controller reference.
        throw errors.conflict(
          resourceOf(this.#o.client),
          m.name ?? '',
          `Only one reference can have Controller set to true. Found "true" in references for ${other.kind}/${other.name} and ${ref.kind}/${ref.name}`,
        );
      }
      const i = refs.findIndex((r) => r.uid === ref.uid);
      if (i < 0) return [...refs, ref];
      const next = [...refs];
      next[i] = { ...refs[i], ...ref };
      return next;
    }, 'adopt');
  }

  /** Removes every reference with the owner's UID. */
  #release(obj: T): void {
    const uid = this.#o.owner.metadata?.uid;
    this.#write(obj, (refs) => {
      if (!refs.some((r) => r.uid === uid)) return undefined;
      return refs.filter((r) => r.uid !== uid);
    }, 'release');
  }

  /**
   * Re-reads `obj` and writes the ownerReferences `change` makes of its
   * current ones (undefined: nothing to write). Returns what was written,
   * or undefined when the object is gone or nothing was written.
   */
  #write(obj: T, change: (refs: readonly OwnerReference[]) => OwnerReference[] | undefined, verb: 'adopt' | 'release'): T | undefined {
    const m = obj.metadata ?? {};
    const client = this.#o.client;
    for (let attempt = 0; ; attempt++) {
      const fresh = client.get(m.namespace, m.name ?? '');
      if (!fresh) return undefined;
      if (fresh.metadata?.uid !== m.uid) {
        // Deleted and created again under the same name: not the object decided on.
        if (verb === 'release') return undefined;
        throw errors.conflict(resourceOf(client), m.name ?? '', `Precondition failed: UID in precondition: ${m.uid ?? ''}, UID in object meta: ${fresh.metadata?.uid ?? ''}`);
      }
      const refs = change(fresh.metadata?.ownerReferences ?? []);
      if (!refs) return undefined;
      const next = { ...fresh, metadata: { ...fresh.metadata, ownerReferences: refs } } as T;
      if (refs.length === 0) delete next.metadata!.ownerReferences;
      try {
        return client.update(m.namespace, next);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        if (err instanceof ApiError && err.code === 409 && attempt < conflictRetries) continue;
        throw err;
      }
    }
  }
}

function resourceOf(client: unknown): string {
  const d = (client as { description?: { resource?: string } }).description;
  return d?.resource ?? '';
}

function kindOf(obj: ApiObject): string {
  return obj.kind ?? 'object';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** utilerrors.NewAggregate's Error(): the one message, or `[a, b]`. */
export function aggregate(errs: readonly Error[]): Error {
  if (errs.length === 1) return errs[0];
  return new Error(`[${errs.map((e) => e.message).join(', ')}]`);
}
