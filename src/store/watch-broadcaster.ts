/**
 * Fans store changes out to watchers. Delivery is synchronous and in revision
 * order; a watcher must only enqueue (apiserver watch streams and the kubelet's
 * informer keep their own bounded queues and drop themselves when full).
 *
 * A listener that writes to the store while being called would otherwise
 * nest deliveries and let some watchers see revision N+1 before N; such
 * events are queued and delivered after the current one reaches everyone.
 *
 * It matches events to watchers by key prefix and reads nothing else of them,
 * so the event type is the owner's (store.ts's StoreEvent).
 */
export type WatchListener<E> = (event: E) => void;

interface Watcher<E> {
  prefix: string;
  listener: WatchListener<E>;
}

export class WatchBroadcaster<E extends { key: string }> {
  #watchers = new Set<Watcher<E>>();

  add(prefix: string, listener: WatchListener<E>): () => void {
    const w: Watcher<E> = { prefix, listener };
    this.#watchers.add(w);
    return () => {
      this.#watchers.delete(w);
    };
  }

  #queue: E[] = [];
  #delivering = false;

  publish(event: E): void {
    this.#queue.push(event);
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let e = this.#queue.shift(); e; e = this.#queue.shift()) this.#deliver(e);
    } finally {
      this.#delivering = false;
    }
  }

  #deliver(event: E): void {
    for (const w of this.#watchers) {
      if (!event.key.startsWith(w.prefix)) continue;
      try {
        w.listener(event);
      } catch {
        // A broken listener must not stop delivery to the others; it is dropped.
        this.#watchers.delete(w);
      }
    }
  }

  get size(): number {
    return this.#watchers.size;
  }

  clear(): void {
    this.#watchers.clear();
  }
}
