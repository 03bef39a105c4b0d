/**
 * Reads of an informer's cache (client-go's listers): by key, by namespace,
 * by managing controller, each filtered by a label selector. Everything a
 * lister returns is the cache's own frozen object: copy before changing.
 *
 * Reading a lister is how a controller reconciles: from the cache its
 * informer keeps current, never by asking the API for each key.
 */
import type { ApiObject } from '../client/client.ts';
import { controllerIndex, namespaceIndex, type Indexer } from './indexer.ts';
import { everything, type Selector } from './label-selector.ts';
import { objectKey } from './object-key.ts';

export class Lister<T extends ApiObject> {
  readonly #indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.#indexer = indexer;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#indexer.get(objectKey({ metadata: { namespace, name } }));
  }

  list(selector: Selector = everything): T[] {
    return filter(this.#indexer.list(), selector);
  }

  listInNamespace(namespace: string, selector: Selector = everything): T[] {
    return filter(this.#indexer.byIndex(namespaceIndex, namespace), selector);
  }

  /** Objects whose controller ownerReference has this UID (e.g. a ReplicaSet's pods). */
  listByController(uid: string, selector: Selector = everything): T[] {
    return filter(this.#indexer.byIndex(controllerIndex, uid), selector);
  }
}

function filter<T extends ApiObject>(items: T[], selector: Selector): T[] {
  return selector.empty ? items : items.filter((o) => selector.matches(o.metadata?.labels));
}
