/**
 * store — berth's state: a watchable key/value log (kine's model on node:sqlite).
 *
 * Owns: the SQLite file, the revision counter (row id = resourceVersion), an
 * in-memory index of the newest value of every live key, watch fan-out and
 * compaction. Knows nothing about Kubernetes except one hook (`stampRevision`)
 * that writes the revision into a value before it is stored.
 *
 * Does not own: resource semantics (registry/), encoding for clients (apiserver/).
 *
 * State: `<file>` (durable log) and `#index` (derived from the log at open; one
 * writer: this class). Timers: the compactor, started by `start()`.
 *
 * Concurrency: every method is synchronous. A write appends one row, updates the
 * index and publishes to watchers before returning, so a watch registered in the
 * same tick after replaying `after(rev)` can never miss or duplicate an event.
 */
import { SqliteLog } from './sqlite-log.ts';
import { WatchBroadcaster, type WatchListener } from './watch-broadcaster.ts';

/** What the store holds: JSON objects, whose metadata.resourceVersion the store may stamp. */
export interface StoreValue {
  metadata?: { resourceVersion?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Entry {
  key: string;
  /** Revision of the last write to this key (its resourceVersion). */
  revision: number;
  createRevision: number;
  /** A fresh copy; the caller owns it. */
  value: StoreValue;
}

/**
 * A change delivered to watchers. `value` and `prevValue` are deeply frozen and
 * shared by every listener: copy before changing.
 */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  revision: number;
  /** The new value; for DELETED, the last value before deletion. */
  value: StoreValue;
  /** The value before this write (undefined for ADDED). */
  prevValue: StoreValue | undefined;
}

export const StoreErrorCode = {
  KeyExists: 'KeyExists',
  KeyNotFound: 'KeyNotFound',
  Conflict: 'Conflict',
  Compacted: 'Compacted',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly key: string;
  constructor(code: StoreErrorCode, key: string, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.key = key;
  }
}

export interface StoreOptions {
  /** SQLite file path, or ':memory:'. */
  file: string;
  /** Writes `revision` into `value` before it is serialized (e.g. metadata.resourceVersion). */
  stampRevision?: (value: StoreValue, revision: number) => void;
  /** Revisions of history kept by compaction (default 10000). */
  retainRevisions?: number;
  /** Compaction interval in ms (default 5 min). */
  compactEveryMs?: number;
}

interface Indexed {
  json: string;
  revision: number;
  createRevision: number;
}

export class Store {
  #log: SqliteLog;
  #index = new Map<string, Indexed>();
  #watchers = new WatchBroadcaster<StoreEvent>();
  #revision: number;
  #stamp: (value: StoreValue, revision: number) => void;
  #retain: number;
  #compactEveryMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: StoreOptions) {
    this.#log = new SqliteLog(opts.file);
    this.#stamp = opts.stampRevision ?? (() => {});
    this.#retain = opts.retainRevisions ?? 10_000;
    this.#compactEveryMs = opts.compactEveryMs ?? 5 * 60_000;
    for (const row of this.#log.latest()) {
      this.#index.set(row.key, { json: row.value, revision: row.id, createRevision: row.createRevision });
    }
    this.#revision = this.#log.maxRevision();
  }

  /** Starts periodic compaction; stops with the signal or `stop()`. */
  start(signal?: AbortSignal): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.compact(), this.#compactEveryMs);
    this.#timer.unref();
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#watchers.clear();
    this.#log.close();
  }

  currentRevision(): number {
    return this.#revision;
  }

  compactRevision(): number {
    return this.#log.compactRevision();
  }

  get(key: string): Entry | undefined {
    const e = this.#index.get(key);
    if (!e) return undefined;
    return { key, revision: e.revision, createRevision: e.createRevision, value: JSON.parse(e.json) };
  }

  /** Live entries whose key starts with `prefix`, sorted by key. */
  list(prefix: string): { items: Entry[]; revision: number } {
    const items: Entry[] = [];
    for (const [key, e] of this.#index) {
      if (key.startsWith(prefix)) {
        items.push({ key, revision: e.revision, createRevision: e.createRevision, value: JSON.parse(e.json) });
      }
    }
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items, revision: this.#revision };
  }

  /**
   * Live entries under `prefix` from key `from` on (inclusive), sorted by key,
   * as they stood at `revision` (etcd's range read WithRev). Throws Compacted
   * below the compaction revision; `revision` must not exceed the current one.
   */
  listAt(prefix: string, revision: number, from = prefix): Entry[] {
    if (revision < this.#log.compactRevision()) {
      throw new StoreError(StoreErrorCode.Compacted, prefix, `required revision ${revision} has been compacted`);
    }
    if (revision >= this.#revision) return this.list(prefix).items.filter((e) => e.key >= from);
    return this.#log.snapshot(revision, from < prefix ? prefix : from, prefixEnd(prefix)).map((row) => ({
      key: row.key,
      revision: row.id,
      createRevision: row.createRevision,
      value: JSON.parse(row.value),
    }));
  }

  count(prefix: string): number {
    let n = 0;
    for (const key of this.#index.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  create(key: string, value: StoreValue): Entry {
    if (this.#index.has(key)) throw new StoreError(StoreErrorCode.KeyExists, key, `key "${key}" already exists`);
    return this.#write(key, value, undefined, 'ADDED');
  }

  /** Replaces the value; with `expectedRevision`, only if the key is still at that revision. */
  update(key: string, value: StoreValue, expectedRevision?: number): Entry {
    return this.#write(key, value, this.#current(key, expectedRevision), 'MODIFIED');
  }

  delete(key: string, expectedRevision?: number): Entry {
    const cur = this.#current(key, expectedRevision);
    // The tombstone carries the last value, stamped with the deletion revision,
    // as Kubernetes reports it in the DELETED watch event.
    const revision = this.#revision + 1;
    const last = JSON.parse(cur.json);
    this.#stamp(last, revision);
    const json = JSON.stringify(last);
    this.#checkedAppend(revision, {
      key,
      created: false,
      deleted: true,
      createRevision: cur.createRevision,
      prevRevision: cur.revision,
      value: json,
    });
    this.#index.delete(key);
    this.#watchers.publish({ type: 'DELETED', key, revision, value: frozen(json), prevValue: frozen(cur.json) });
    return { key, revision, createRevision: cur.createRevision, value: JSON.parse(json) };
  }

  /**
   * Replays every change after `afterRevision` under `prefix`, then streams new
   * ones, synchronously and in order. Throws Compacted when history before
   * `afterRevision` is gone. Returns the function that stops the watch.
   */
  watch(prefix: string, afterRevision: number, listener: WatchListener<StoreEvent>): () => void {
    if (afterRevision < this.#log.compactRevision()) {
      throw new StoreError(
        StoreErrorCode.Compacted,
        prefix,
        `too old resource version: ${afterRevision} (${this.#log.compactRevision()})`,
      );
    }
    if (afterRevision < this.#revision) {
      const rows = this.#log.after(afterRevision);
      // Previous values come from the rows themselves: walk with a per-key memory.
      const prevByKey = new Map<string, string>();
      for (const row of rows) {
        if (!row.key.startsWith(prefix)) continue;
        const prevJson = prevByKey.get(row.key) ?? (row.prevRevision ? this.#log.at(row.prevRevision)?.value : undefined);
        const type = row.deleted ? 'DELETED' : row.created ? 'ADDED' : 'MODIFIED';
        listener({
          type,
          key: row.key,
          revision: row.id,
          value: frozen(row.value),
          prevValue: prevJson === undefined ? undefined : frozen(prevJson),
        });
        if (row.deleted) prevByKey.delete(row.key);
        else prevByKey.set(row.key, row.value);
      }
    }
    return this.#watchers.add(prefix, listener);
  }

  /** Drops history older than the retention window. Returns rows removed. */
  compact(): number {
    const target = this.#revision - this.#retain;
    if (target <= this.#log.compactRevision()) return 0;
    return this.#log.compact(target);
  }

  /** The live entry of `key`; KeyNotFound, or Conflict when it is not at `expectedRevision`. */
  #current(key: string, expectedRevision: number | undefined): Indexed {
    const cur = this.#index.get(key);
    if (!cur) throw new StoreError(StoreErrorCode.KeyNotFound, key, `key "${key}" not found`);
    if (expectedRevision !== undefined && expectedRevision !== cur.revision) {
      throw new StoreError(StoreErrorCode.Conflict, key, `key "${key}" is at revision ${cur.revision}, not ${expectedRevision}`);
    }
    return cur;
  }

  #write(key: string, value: StoreValue, cur: Indexed | undefined, type: 'ADDED' | 'MODIFIED'): Entry {
    const revision = this.#revision + 1;
    this.#stamp(value, revision);
    const json = JSON.stringify(value);
    const createRevision = cur ? cur.createRevision : revision;
    this.#checkedAppend(revision, {
      key,
      created: !cur,
      deleted: false,
      createRevision,
      prevRevision: cur?.revision ?? 0,
      value: json,
    });
    this.#index.set(key, { json, revision, createRevision });
    this.#watchers.publish({
      type,
      key,
      revision,
      value: frozen(json),
      prevValue: cur ? frozen(cur.json) : undefined,
    });
    return { key, revision, createRevision, value: JSON.parse(json) };
  }

  #checkedAppend(revision: number, row: Parameters<SqliteLog['append']>[0]): void {
    const id = this.#log.append(row);
    if (id !== revision) {
      // Another process wrote to the file: the single-writer invariant is broken.
      throw new Error(`store revision skew: expected ${revision}, got ${id}; is another berth using this data directory?`);
    }
    this.#revision = revision;
  }
}

/** The first key after every key starting with `prefix` (etcd's GetPrefixRangeEnd); prefixes are non-empty ASCII. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

function frozen(json: string): StoreValue {
  return deepFreeze(JSON.parse(json));
}
