/**
 * Generic storage semantics for one resource type, as kube-apiserver's
 * `registry/generic` store applies them: keys, create/update/delete/list/watch,
 * resourceVersion and uid preconditions, finalizers, graceful deletion, dry run,
 * field ownership (managedFields) and server-side apply, and selector-filtered
 * watches with the ADDED/DELETED transitions a selector implies.
 * Resource-specific rules come from a Strategy.
 *
 * Every method is synchronous (the store is), so a read-modify-write here is
 * atomic with respect to every other writer in the process.
 */
import { isDeepStrictEqual } from 'node:util';
import { ApiError, errors, rfc3339, type FieldError } from '../api/api.ts';
import { decodableManagedFields, recordUpdate, serverSideApply } from '../api/managed-fields/managed-fields.ts';
import { Store, StoreError, type StoreEvent, type StoreValue } from '../store/store.ts';
import { convertedStore, type StoreApi } from './converted-store.ts';
import { deletionFinalizers } from './deletion-finalizers.ts';
import { generateName, newUid } from './object-meta.ts';
import { parseResourceVersion, readList, type ListReadOptions } from './list-read.ts';
import { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from './selectors.ts';
import type { Kind, ResourceInfo, Strategy } from '../api/kind.ts';
import type { Stored } from '../api/types.ts';
import type { Printer } from '../api/printers/table.ts';
import type { Schema } from '../api/validation/schema/generate-schema.ts';
import type { AllocationContext, Allocator } from './allocators/allocator.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** A list request's paging and revision options (see list-read.ts). */
export interface ListPageOptions extends ListOptions, ListReadOptions {}

/** A List's metadata (ListMeta). */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions extends ListOptions {
  /** '' (the latest) or '0' (any): with no `sendInitialEvents`, start with synthetic ADDED events for the current state. */
  resourceVersion?: string;
  /**
   * Watch-list: true sends ADDED events for the state at (not older than)
   * `resourceVersion` first; false starts at it without them; undefined is the
   * legacy rule above.
   */
  sendInitialEvents?: boolean;
  /** With `sendInitialEvents`, a BOOKMARK annotated `k8s.io/initial-events-end` ends the initial events. */
  allowWatchBookmarks?: boolean;
}

/** A watch BOOKMARK's object: only kind, apiVersion and metadata. */
export interface BookmarkObject {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
}

export interface WatchEvent<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Stored<T> | BookmarkObject;
}

export interface WriteOptions {
  dryRun?: boolean;
  /**
   * The manager of this write (a request's `fieldManager`): its changes are
   * recorded in metadata.managedFields. In-process writers name none, and
   * the object's managedFields stay as they were.
   */
  fieldManager?: string;
}

export interface ApplyOptions {
  fieldManager: string;
  force: boolean;
  dryRun?: boolean;
}

/** metav1.DeletionPropagation: what happens to an object's dependents (ownerReferences) when it is deleted. */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  /** Unset: the resource's default (Background for every kind berth serves). */
  propagationPolicy?: PropagationPolicy;
  /** Deprecated form of the policy: true is Orphan, false Background; never set together with propagationPolicy. */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult<T = unknown> {
  object: Stored<T>;
  /** True when the object is gone from storage; false while it terminates. */
  deleted: boolean;
}

export interface ResourceStoreDeps<T = unknown> {
  store: Store;
  now: () => number;
  /** Throws NotFound/Forbidden when `resource` "name" may not be created in `namespace`. */
  checkNamespace?: (namespace: string, resource: string, name: string) => void;
  /** Fills pooled fields (a Service's cluster IPs and node ports) on create and update, before validation. */
  allocator?: Allocator<T>;
  /** Called once an object is gone from storage (kube-apiserver's AfterDelete), not for dry runs. */
  afterDelete?: (obj: Stored<T>) => void;
}

export class ResourceStore<T = unknown> {
  readonly info: ResourceInfo;
  readonly strategy: Strategy<T>;
  /** The kind's Table columns; undefined for Name/Age. */
  readonly printer: Printer | undefined;
  /** The decoding schema of this kind's version when it is not core/v1's (Kind.schema). */
  readonly schema: Schema | undefined;
  /** The store, seen through this version's field names when the kind shares another resource's storage. */
  #store: StoreApi;
  /** The storage resource: this one's, or the one whose storage the kind shares. */
  #storage: { group: string; resource: string };
  #now: () => number;
  #checkNamespace: (ns: string, resource: string, name: string) => void;
  #allocator: Allocator<T> | undefined;
  #afterDelete: (obj: Stored<T>) => void;

  constructor(kind: Kind<T>, deps: ResourceStoreDeps<T>) {
    this.strategy = kind.strategy;
    this.info = kind.info;
    this.printer = kind.printer;
    this.schema = kind.schema;
    this.#store = kind.storage ? convertedStore(deps.store, kind.storage) : deps.store;
    this.#storage = kind.storage ?? kind.info;
    this.#now = deps.now;
    this.#checkNamespace = deps.checkNamespace ?? (() => {});
    this.#allocator = deps.allocator;
    this.#afterDelete = deps.afterDelete ?? (() => {});
  }

  /** Storage prefix for a namespace, or for all namespaces when `ns` is empty. */
  prefix(ns?: string): string {
    const { group, resource } = this.#storage;
    const base = `/registry/${group ? group + '/' : ''}${resource}/`;
    return this.info.namespaced && ns ? `${base}${ns}/` : base;
  }

  key(ns: string | undefined, name: string): string {
    return this.info.namespaced ? `${this.prefix(ns)}${name}` : `${this.prefix()}${name}`;
  }

  get(ns: string | undefined, name: string): Stored<T> {
    const e = this.#store.get(this.key(ns, name));
    if (!e) throw errors.notFound(this.info.resource, name, this.info.group);
    return typed<T>(e.value);
  }

  /** undefined instead of NotFound. */
  find(ns: string | undefined, name: string): Stored<T> | undefined {
    const e = this.#store.get(this.key(ns, name));
    return e ? typed<T>(e.value) : undefined;
  }

  /**
   * The storage range a list or watch reads: the namespace's (or every
   * object's), or only the keys starting with one object's key when the field
   * selector pins `metadata.name` — kube-apiserver's `MatchesSingle`, which
   * reads that key instead of the whole resource (`kubectl wait`,
   * `rollout status` and informers on one object, e.g. 100 watches on 100
   * pods). The matcher still filters what else starts with that key.
   */
  #scope(ns: string | undefined, fields: FieldSelector): string {
    const pinned = fields.requirements.find((r) => r.field === 'metadata.name' && !r.negate);
    if (!pinned || pinned.value === '' || (this.info.namespaced && !ns)) return this.prefix(ns);
    return this.key(ns, pinned.value);
  }

  /** The objects in `ns` (or everywhere); one page of them with `limit`/`continue`. */
  list(ns: string | undefined, opts: ListPageOptions = {}): ListMeta & { items: Stored<T>[] } {
    const fields = parseFieldSelector(opts.fieldSelector);
    const match = this.#matcher(opts, fields);
    const page = readList(this.#store, this.#scope(ns, fields), opts, (e) => match(typed<T>(e.value)), match !== acceptAll);
    const out: ListMeta & { items: Stored<T>[] } = { items: page.entries.map((e) => typed<T>(e.value)), resourceVersion: String(page.revision) };
    if (page.continue !== undefined) out.continue = page.continue;
    if (page.remainingItemCount !== undefined) out.remainingItemCount = page.remainingItemCount;
    return out;
  }

  /** How many objects there are (in `ns`, or in all namespaces). */
  count(ns: string | undefined): number {
    return this.#store.count(this.prefix(ns));
  }

  listObject(ns: string | undefined, opts: ListPageOptions = {}): { kind: string; apiVersion: string; metadata: ListMeta; items: Stored<T>[] } {
    const { items, ...metadata } = this.list(ns, opts);
    return {
      kind: this.info.listKind,
      apiVersion: this.#apiVersion(),
      metadata,
      items,
    };
  }

  create(ns: string | undefined, body: unknown, opts: WriteOptions = {}): Stored<T> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be an object');
    const obj = body as Stored<T>;
    obj.metadata ??= { name: '' };
    const meta = obj.metadata;
    if (this.info.namespaced) {
      if (meta.namespace && ns && meta.namespace !== ns) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = ns ?? meta.namespace ?? 'default';
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    const now = this.#now();
    meta.uid = newUid();
    meta.creationTimestamp = rfc3339(now);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    obj.apiVersion = this.#apiVersion();
    obj.kind = this.info.kind;
    this.strategy.prepareForCreate(obj, { now });
    if (opts.fieldManager !== undefined) {
      delete meta.managedFields;
      recordUpdate(this.info.kind, undefined, obj, opts.fieldManager, rfc3339(now));
    }
    this.strategy.admitOnCreate?.(obj);
    this.#allocator?.allocate(obj, undefined, this.#allocationContext(meta.namespace, meta.name, opts.dryRun));
    this.#throwIfInvalid(obj, this.strategy.validate(obj));
    if (this.info.namespaced) this.#checkNamespace(meta.namespace ?? '', this.info.resource, meta.name);
    const key = this.key(meta.namespace, meta.name);
    if (opts.dryRun) {
      if (this.#store.get(key)) throw errors.alreadyExists(this.info.resource, meta.name, this.info.group);
      return obj;
    }
    try {
      return typed<T>(this.#store.create(key, obj as StoreValue).value);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'KeyExists') {
        throw errors.alreadyExists(this.info.resource, meta.name, this.info.group);
      }
      throw err;
    }
  }

  /**
   * PUT semantics. With `metadata.resourceVersion` set, the write is
   * conditional on it; without, unconditional: it takes the stored
   * resourceVersion before validation, as kube-apiserver does for kinds that
   * allow unconditional updates (every kind berth serves).
   */
  update(ns: string | undefined, name: string, body: unknown, opts: WriteOptions & { subresource?: 'status'; applied?: boolean } = {}): Stored<T> {
    const key = this.key(ns, name);
    const cur = this.#store.get(key);
    if (!cur) throw errors.notFound(this.info.resource, name, this.info.group);
    const old = typed<T>(cur.value);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be an object');
    const obj = body as Stored<T>;
    obj.metadata ??= { name: '' };
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw errors.badRequest('the name of the object (' + obj.metadata.name + ') does not match the name on the URL (' + name + ')');
    }
    const rv = obj.metadata.resourceVersion;
    if (rv === undefined || rv === '') obj.metadata.resourceVersion = String(cur.revision);
    else if (rv !== String(cur.revision)) throw this.#conflict(name);
    // Server-owned metadata always comes from the stored object.
    const meta = obj.metadata as Record<string, unknown>;
    for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name', 'generation']) {
      const kept = (old.metadata as Record<string, unknown>)[f];
      if (kept === undefined) delete meta[f];
      else meta[f] = kept;
    }
    obj.apiVersion = this.#apiVersion();
    obj.kind = this.info.kind;
    let errs: FieldError[];
    if (opts.subresource === 'status') {
      if (!this.strategy.prepareForStatusUpdate) throw errors.notFound(this.info.resource, name, this.info.group);
      this.strategy.prepareForStatusUpdate(obj, old);
      errs = this.strategy.validateStatusUpdate?.(obj, old) ?? [];
    } else {
      this.strategy.prepareForUpdate(obj, old);
      // Ownership: recorded for a named manager, computed already by apply, otherwise unchanged.
      // A request that changes managedFields itself sets them (as kubectl's
      // client-to-server-side apply migration does); otherwise they carry over.
      const given = obj.metadata.managedFields;
      // Ones that do not decode are ignored for the live object's, as kube-apiserver's decodeLiveOrNew does.
      const overridden = given !== undefined && !isDeepStrictEqual(given, old.metadata.managedFields) && decodableManagedFields(given);
      if (!opts.applied && !overridden) {
        if (old.metadata.managedFields === undefined) delete obj.metadata.managedFields;
        else obj.metadata.managedFields = old.metadata.managedFields;
        if (opts.fieldManager !== undefined) recordUpdate(this.info.kind, old, obj, opts.fieldManager, rfc3339(this.#now()));
      }
      // Allocated values have no manager, as kube-apiserver allocates after recording ownership.
      this.#allocator?.allocate(obj, old, this.#allocationContext(old.metadata.namespace, name, opts.dryRun));
      errs = this.strategy.validateUpdate(obj, old);
    }
    this.#throwIfInvalid(obj, errs);
    if (opts.dryRun) return obj;
    if (this.#finishedTerminating(obj)) return this.#remove(key, cur.revision);
    // As etcd3's GuaranteedUpdate: an update that changes nothing is not
    // written, keeps its resourceVersion and wakes no watcher.
    if (sameContent(obj as StoreValue, old as StoreValue)) return old;
    return typed<T>(this.#store.update(key, obj as StoreValue, cur.revision).value);
  }

  /**
   * Read-modify-write with `mutate` applied to a fresh copy of the current
   * object; used by PATCH and by in-process writers.
   */
  patch(
    ns: string | undefined,
    name: string,
    mutate: (current: Stored<T>) => unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Stored<T> {
    const cur = this.get(ns, name);
    const rvBefore = cur.metadata.resourceVersion;
    const next = mutate(structuredClone(cur)) as Partial<Stored<T>> | null;
    // A patch may pin resourceVersion; otherwise it applies to what it read.
    if (next?.metadata && next.metadata.resourceVersion === undefined) next.metadata.resourceVersion = rvBefore;
    return this.update(ns, name, next, opts);
  }

  /**
   * Server-side apply of `applied` by `opts.fieldManager`: creates the object
   * when it is absent, otherwise merges it in (409 Conflict on fields other
   * managers own, unless forced), then defaults and validates as any write.
   */
  apply(ns: string | undefined, name: string, applied: unknown, opts: ApplyOptions): { object: Stored<T>; created: boolean } {
    const now = rfc3339(this.#now());
    const cur = this.find(ns, name);
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) throw errors.badRequest('the request body must be an object');
    const merged = serverSideApply(this.info.kind, cur, applied as Record<string, unknown>, { manager: opts.fieldManager, force: opts.force, now });
    if (!cur) {
      merged.metadata = { ...(merged.metadata ?? {}), name };
      return { object: this.create(ns, merged, { dryRun: opts.dryRun }), created: true };
    }
    if (merged.metadata.resourceVersion === undefined) merged.metadata.resourceVersion = cur.metadata.resourceVersion;
    return { object: this.update(ns, name, merged, { dryRun: opts.dryRun, applied: true }), created: false };
  }

  /**
   * A server-internal write that skips update validation (binding a pod to the
   * node, finalizing a namespace). `mutate` gets a copy and returns the new object.
   */
  internalUpdate(ns: string | undefined, name: string, mutate: (current: Stored<T>) => Stored<T>): Stored<T> {
    const key = this.key(ns, name);
    const cur = this.#store.get(key);
    if (!cur) throw errors.notFound(this.info.resource, name, this.info.group);
    const next = mutate(typed<T>(cur.value));
    if (this.#finishedTerminating(next)) return this.#remove(key, cur.revision);
    if (sameContent(next as StoreValue, this.#store.get(key)!.value)) return next;
    return typed<T>(this.#store.update(key, next as StoreValue, cur.revision).value);
  }

  /**
   * kube-apiserver's generic Delete (store.go with rest.BeforeDelete):
   *
   *   - a graceful deletion already pending (grace > 0) may only be shortened;
   *     otherwise the object is returned unchanged and its finalizers are not
   *     touched by the options;
   *   - the garbage-collection finalizers are set from the options
   *     (deletion-finalizers.ts): Orphan adds `orphan`, Foreground
   *     `foregroundDeletion`, Background (the default) neither;
   *   - an object left with finalizers (or a namespace with spec.finalizers),
   *     or in a grace period, stays, marked with deletionTimestamp; otherwise
   *     it is removed at once.
   */
  delete(ns: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult<T> {
    const key = this.key(ns, name);
    const cur = this.#store.get(key);
    if (!cur) throw errors.notFound(this.info.resource, name, this.info.group);
    const obj = typed<T>(cur.value);
    const before = structuredClone(cur.value);
    this.strategy.admitDelete?.(obj);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw errors.conflict(
        this.info.resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
        this.info.group,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(cur.revision)) {
      throw errors.conflict(
        this.info.resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.revision}`,
        this.info.group,
      );
    }
    const meta = obj.metadata;
    const now = this.#now();
    // rest.BeforeDelete: a negative grace period counts as 1 s.
    const requested = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
    const wasTerminating = !!meta.deletionTimestamp;
    const blocked = this.strategy.blocksDeletion?.(obj) ?? false;
    // A terminating namespace waits for its spec.finalizers; a delete meanwhile changes nothing (namespace REST Delete).
    if (wasTerminating && blocked) return { object: obj, deleted: false };
    // rest.BeforeDelete: `graceful` when this delete sets (or shortens) a grace period.
    let graceful = false;
    if (meta.deletionTimestamp) {
      const curGrace = meta.deletionGracePeriodSeconds ?? 0;
      if (curGrace > 0) {
        if (requested === undefined || requested >= curGrace) return { object: obj, deleted: false };
        // A shortened grace period counts from the first delete.
        const since = Date.parse(meta.deletionTimestamp) - curGrace * 1000;
        meta.deletionTimestamp = rfc3339(since + requested * 1000);
        meta.deletionGracePeriodSeconds = requested;
        graceful = true;
      }
    } else if (this.strategy.deleteGrace) {
      const grace = this.strategy.deleteGrace(obj, requested);
      meta.deletionTimestamp = rfc3339(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
      graceful = true;
    }
    const gc = deletionFinalizers(meta.finalizers ?? [], opts);
    if (gc.changed && gc.finalizers.length > 0) meta.finalizers = gc.finalizers;
    else if (gc.changed) delete meta.finalizers;
    const pending = (meta.finalizers ?? []).length > 0 || blocked;
    if (!pending && (!graceful || meta.deletionGracePeriodSeconds === 0)) {
      if (opts.dryRun) return { object: obj, deleted: true };
      return { object: this.#remove(key, cur.revision), deleted: true };
    }
    if (!graceful) {
      // markAsDeleting: an object without a grace period waits for its finalizers with grace 0.
      if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now) meta.deletionTimestamp = rfc3339(now);
      meta.deletionGracePeriodSeconds = 0;
    }
    if (!wasTerminating && (meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
    this.strategy.onTerminate?.(obj);
    if (opts.dryRun) return { object: obj, deleted: false };
    if (sameContent(obj as StoreValue, before)) return { object: obj, deleted: false };
    return { object: typed<T>(this.#store.update(key, obj as StoreValue, cur.revision).value), deleted: false };
  }

  /**
   * Watches changes. Events are delivered synchronously through `send`; the
   * returned function stops the watch. Throws ApiError Expired for a compacted
   * resourceVersion.
   */
  watch(ns: string | undefined, opts: WatchOptions, send: (e: WatchEvent<T>) => void): () => void {
    const fields = parseFieldSelector(opts.fieldSelector);
    const match = this.#matcher(opts, fields);
    const prefix = this.#scope(ns, fields);
    const rv = opts.resourceVersion ?? '';
    const current = this.#store.currentRevision();
    const wanted = rv === '' ? 0 : parseResourceVersion(rv);
    const initial = opts.sendInitialEvents ?? (wanted === 0);
    // Events at or below this revision are not sent: a watch from a future revision waits for it, as etcd's.
    let after = wanted;
    if (initial) {
      // NotOlderThan: the watch cache waits for a future revision and then gives up with a 504.
      if (wanted > current) throw errors.tooLargeResourceVersion(wanted, current);
      const { items, revision } = this.#store.list(prefix);
      for (const e of items) {
        const o = typed<T>(e.value);
        if (match(o)) send({ type: 'ADDED', object: o });
      }
      after = revision;
      if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
        send({
          type: 'BOOKMARK',
          object: {
            kind: this.info.kind,
            apiVersion: this.#apiVersion(),
            metadata: { resourceVersion: String(revision), annotations: { 'k8s.io/initial-events-end': 'true' } },
          },
        });
      }
    } else if (rv === '' || wanted === 0) {
      after = current;
    }
    if (after > current) {
      const from = after;
      const inner = send;
      send = (e) => {
        if (Number(e.object.metadata?.resourceVersion) > from) inner(e);
      };
      after = current;
    }
    try {
      return this.#store.watch(prefix, after, (e) => this.#forward(e, match, send));
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted') throw errors.expired(err.message);
      throw err;
    }
  }

  currentResourceVersion(): string {
    return String(this.#store.currentRevision());
  }

  /**
   * Selector transitions: entering the selection is ADDED, leaving it DELETED.
   * A replayed MODIFIED whose previous value was compacted away stays MODIFIED
   * without a selector and counts as entering one with a selector, as in
   * kube-apiserver's etcd3 watcher.
   */
  #forward(e: StoreEvent, match: (o: Stored<T>) => boolean, send: (e: WatchEvent<T>) => void): void {
    const value = typed<T>(e.value);
    const cur = match(value);
    if (e.type !== 'MODIFIED') {
      if (cur) send({ type: e.type, object: value });
      return;
    }
    const prev = e.prevValue === undefined ? match === acceptAll : match(typed<T>(e.prevValue));
    if (cur && prev) send({ type: 'MODIFIED', object: value });
    else if (cur) send({ type: 'ADDED', object: value });
    else if (prev) send({ type: 'DELETED', object: value });
  }

  /** Throws BadRequest for selectors this resource cannot evaluate. */
  checkListOptions(opts: ListOptions): void {
    this.#matcher(opts);
  }

  #matcher(opts: ListOptions, fields: FieldSelector = parseFieldSelector(opts.fieldSelector)): (o: Stored<T>) => boolean {
    const labels: LabelSelector = parseLabelSelector(opts.labelSelector);
    for (const r of fields.requirements) {
      if (r.field === 'metadata.name' || r.field === 'metadata.namespace') continue;
      if (!this.strategy.selectableFields.includes(r.field)) {
        throw errors.badRequest(`field label not supported: ${r.field}`);
      }
    }
    if (labels.empty && fields.empty) return acceptAll;
    return (o) => {
      if (!labels.matches(o.metadata?.labels)) return false;
      if (fields.empty) return true;
      return fields.matches({
        'metadata.name': o.metadata?.name ?? '',
        'metadata.namespace': o.metadata?.namespace ?? '',
        ...this.strategy.fields(o),
      });
    };
  }

  /** Deletes from storage and runs the afterDelete hook. */
  #remove(key: string, revision: number): Stored<T> {
    const gone = typed<T>(this.#store.delete(key, revision).value);
    this.#afterDelete(gone);
    return gone;
  }

  /** The allocator's view of the pools: every other stored object of this kind, read when it asks. */
  #allocationContext(ns: string | undefined, name: string, dryRun: boolean | undefined): AllocationContext<T> {
    const self = this.key(ns, name);
    return {
      dryRun: dryRun === true,
      peers: () => this.#store.list(this.prefix()).items.filter((e) => e.key !== self).map((e) => typed<T>(e.value)),
    };
  }

  #finishedTerminating(obj: Stored<T>): boolean {
    const m = obj.metadata;
    return (
      !!m.deletionTimestamp &&
      (m.finalizers ?? []).length === 0 &&
      (m.deletionGracePeriodSeconds ?? 0) === 0 &&
      !(this.strategy.blocksDeletion?.(obj) ?? false)
    );
  }

  #throwIfInvalid(obj: Stored<T>, errs: FieldError[]): void {
    if (errs.length > 0) throw errors.invalid(this.info.kind, obj.metadata?.name ?? '', errs, this.info.group);
  }

  #conflict(name: string): ApiError {
    return errors.conflict(
      this.info.resource,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
      this.info.group,
    );
  }

  #apiVersion(): string {
    return this.info.group ? `${this.info.group}/${this.info.version}` : this.info.version;
  }
}

/**
 * The one place a stored value becomes a typed object: the store holds only
 * what this ResourceStore validated and wrote for its kind.
 */
function typed<T>(value: StoreValue): Stored<T> {
  return value as unknown as Stored<T>;
}

/** The matcher of a list or watch without selectors. */
const acceptAll = (): boolean => true;

/** Equal objects apart from metadata.resourceVersion (key order does not matter). */
function sameContent(a: StoreValue, b: StoreValue): boolean {
  const strip = (o: StoreValue) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return isDeepStrictEqual(strip(a), strip(b));
}
