/**
 * A view of the store in another version's field names: what a ResourceStore
 * whose kind shares another resource's storage (Kind.storage) reads and
 * writes through. Keys, revisions, compaction and watches are the store's
 * own; only values are converted — to the stored version on every write,
 * back on every read and every watch event (value and prevValue alike) — so
 * both versions see one set of objects, one resourceVersion sequence and
 * one history, as kube-apiserver's storage shared by group versions does.
 */
import type { SharedStorage } from '../api/kind.ts';
import type { Entry, Store, StoreEvent, StoreValue } from '../store/store.ts';

/** The part of the store a ResourceStore uses. */
export type StoreApi = Pick<Store, 'currentRevision' | 'compactRevision' | 'get' | 'list' | 'listAt' | 'count' | 'create' | 'update' | 'delete' | 'watch'>;

export function convertedStore(store: StoreApi, conv: SharedStorage): StoreApi {
  const out = (v: StoreValue) => conv.fromStorage(v) as StoreValue;
  const into = (v: StoreValue) => conv.toStorage(v) as StoreValue;
  const entry = (e: Entry): Entry => ({ ...e, value: out(e.value) });
  return {
    currentRevision: () => store.currentRevision(),
    compactRevision: () => store.compactRevision(),
    get(key) {
      const e = store.get(key);
      return e && entry(e);
    },
    list(prefix) {
      const { items, revision } = store.list(prefix);
      return { items: items.map(entry), revision };
    },
    listAt: (prefix, revision, from) => store.listAt(prefix, revision, from).map(entry),
    count: (prefix) => store.count(prefix),
    create: (key, value) => entry(store.create(key, into(value))),
    update: (key, value, expectedRevision) => entry(store.update(key, into(value), expectedRevision)),
    delete: (key, expectedRevision) => entry(store.delete(key, expectedRevision)),
    watch: (prefix, afterRevision, listener) =>
      store.watch(prefix, afterRevision, (e: StoreEvent) =>
        listener({ ...e, value: out(e.value), prevValue: e.prevValue === undefined ? undefined : out(e.prevValue) }),
      ),
  };
}
