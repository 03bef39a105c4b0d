/**
 * An informer's cache: objects by key (object-key.ts), plus named indexes
 * from index values to keys (client-go's cache.Indexer). An index function
 * maps an object to the values it is found under; the cache keeps every
 * index current on each set and delete.
 *
 * The standard indexes every informer keeps: by namespace, and by the UID of
 * the controller ownerReference (the object's managing controller).
 *
 * State: only what the informer puts in; its one writer is the informer.
 * Objects are stored as given (the informer freezes them).
 */
import type { ApiObject } from '../client/client.ts';

export type IndexFunc<T> = (obj: T) => readonly string[];

export const namespaceIndex = 'namespace';
export const controllerIndex = 'controller';

export function indexByNamespace(obj: ApiObject): readonly string[] {
  const ns = obj.metadata?.namespace;
  return ns ? [ns] : [];
}

/** The UID of the ownerReference with `controller: true`, if any. */
export function indexByController(obj: ApiObject): readonly string[] {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
}

export class Indexer<T extends ApiObject> {
  #items = new Map<string, T>();
  #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexers(indexers);
  }

  /** Adds indexes, built at once over what the cache holds. A name already taken is an error. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.#indexers.set(name, fn);
      this.#indices.set(name, new Map());
      for (const [key, obj] of this.#items) this.#index(name, fn, key, obj);
    }
  }

  /** Stores `obj` under `key`; returns what was there. */
  set(key: string, obj: T): T | undefined {
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexers) this.#index(name, fn, key, obj);
    return old;
  }

  /** Removes `key`; returns what was there. */
  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** Objects whose index `name` includes `value`. Throws for an unknown index. */
  byIndex(name: string, value: string): T[] {
    return this.indexKeys(name, value).map((k) => this.#items.get(k)!);
  }

  indexKeys(name: string, value: string): string[] {
    const index = this.#indices.get(name);
    if (!index) throw new Error(`index "${name}" does not exist`);
    return [...(index.get(value) ?? [])];
  }

  #index(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.#indices.get(name)!;
    for (const v of fn(obj)) {
      let keys = index.get(v);
      if (!keys) index.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  #unindex(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(v);
      }
    }
  }
}
