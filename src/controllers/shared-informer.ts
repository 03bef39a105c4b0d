/**
 * One resource's cache, kept current by a Reflector, and the handlers that
 * hear of its changes (client-go's SharedIndexInformer). Every controller
 * interested in a resource shares its one informer (informer-factory.ts).
 *
 * Handlers are called synchronously, in change order, inside the write
 * that caused the change (the in-process client delivers watch events that
 * way): they must only enqueue keys, never write. A handler that throws is
 * reported and the others still run.
 *
 *   - add(obj): an object appeared (or was there at the first list);
 *   - update(old, new): it changed; also on every resync, with old === new;
 *   - delete(obj): it is gone; obj is its last known state.
 *
 * After a relist (410 Expired, or a failed watch), objects the new list
 * lacks are deleted and the rest updated, so handlers miss nothing.
 * A handler added after the first list first gets add(obj) for everything
 * cached, as client-go's late registration does.
 *
 * The cache holds deeply frozen objects, shared by every reader: copy
 * before changing. `hasSynced()` turns true once the first list is cached.
 *
 * Timers: the resync, every `resyncPeriodMs` on the injected clock
 * (unref'd; 0 disables it), and the reflector's retries.
 */
import type { ApiObject, ResourceWatchEvent } from '../client/client.ts';
import type { Clock, ClockTimer } from '../clock/clock.ts';
import { controllerIndex, indexByController, indexByNamespace, Indexer, namespaceIndex, type IndexFunc } from './indexer.ts';
import { Lister } from './lister.ts';
import { objectKey } from './object-key.ts';
import { Reflector, type ListerWatcher } from './reflector.ts';

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface SharedInformerOptions<T> {
  /** For log lines: the resource, e.g. `pods`. */
  name: string;
  listerWatcher: ListerWatcher<T>;
  clock: Clock;
  /** How often every handler hears update(obj, obj) for every cached object; 0 for never. */
  resyncPeriodMs: number;
  log?: (msg: string) => void;
}

export class SharedInformer<T extends ApiObject> {
  readonly indexer = new Indexer<T>({ [namespaceIndex]: indexByNamespace, [controllerIndex]: indexByController });
  readonly lister = new Lister<T>(this.indexer);
  readonly #o: SharedInformerOptions<T>;
  readonly #reflector: Reflector<T>;
  #handlers = new Set<EventHandler<T>>();
  #synced = false;
  #started = false;
  #resyncTimer: ClockTimer | undefined;

  constructor(opts: SharedInformerOptions<T>) {
    this.#o = opts;
    this.#reflector = new Reflector<T>({
      name: opts.name,
      listerWatcher: opts.listerWatcher,
      clock: opts.clock,
      log: opts.log,
      sink: { replace: (items) => this.#replace(items), apply: (e) => this.#apply(e) },
    });
  }

  /** Returns the function that removes the handler. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.#handlers.add(handler);
    if (this.#synced) for (const obj of this.indexer.list()) this.#call('add', () => handler.add?.(obj));
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /** More indexes for the lister's `indexer.byIndex`. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.indexer.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /** Lists, fills the cache (calling add handlers) and starts watching. Once only. */
  start(signal?: AbortSignal): void {
    if (this.#started || signal?.aborted) return;
    this.#started = true;
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    this.#reflector.start();
    this.#armResync();
  }

  /** Idempotent. The cache keeps what it had. */
  stop(): void {
    this.#reflector.stop();
    this.#o.clock.clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
  }

  #armResync(): void {
    if (this.#o.resyncPeriodMs <= 0) return;
    this.#resyncTimer = this.#o.clock
      .setTimeout(() => {
        for (const obj of this.indexer.list()) this.#notify('update', (h) => h.update?.(obj, obj));
        this.#armResync();
      }, this.#o.resyncPeriodMs)
      .unref();
  }

  #replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const obj = deepFreeze(item);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.indexer.set(key, obj);
      if (old) this.#notify('update', (h) => h.update?.(old, obj));
      else this.#notify('add', (h) => h.add?.(obj));
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.#notify('delete', (h) => h.delete?.(old));
    }
    this.#synced = true;
  }

  #apply(e: ResourceWatchEvent<T>): void {
    const obj = deepFreeze(e.object);
    const key = objectKey(obj);
    if (e.type === 'DELETED') {
      if (!this.indexer.delete(key)) return;
      this.#notify('delete', (h) => h.delete?.(obj));
      return;
    }
    const old = this.indexer.set(key, obj);
    if (old) this.#notify('update', (h) => h.update?.(old, obj));
    else this.#notify('add', (h) => h.add?.(obj));
  }

  #notify(what: string, fn: (h: EventHandler<T>) => void): void {
    for (const h of this.#handlers) this.#call(what, () => fn(h));
  }

  #call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#o.log?.(`${this.#o.name}: ${what} handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function deepFreeze<V>(v: V): V {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}
