/**
 * exit-waiters — who waits for a container's exit (a `kubectl logs -f`
 * follow), told when the PLEG sees it on containerd's event stream.
 *
 * A waiter that arrives after the exit was seen is told at once: the event
 * can come before containerd's own status says the container stopped, so a
 * follow that asked the runtime "running?" in between would otherwise wait
 * for its next poll.
 *
 * State: the waiters, by container id. Seen exits are the observer's.
 */
export class ExitWaiters {
  #waiters = new Map<string, Set<() => void>>();
  #seen: (id: string) => boolean;

  /** `seen` says whether a container's exit was already observed. */
  constructor(seen: (id: string) => boolean) {
    this.#seen = seen;
  }

  /** Tells the waiters of `id` that it exited. */
  exited(id: string): void {
    for (const fn of this.#waiters.get(id) ?? []) fn();
  }

  /** Calls `fn` when `id` exits (in a microtask when it already has); returns the unsubscribe. */
  wait(id: string, fn: () => void): () => void {
    let set = this.#waiters.get(id);
    if (!set) this.#waiters.set(id, (set = new Set()));
    set.add(fn);
    if (this.#seen(id)) queueMicrotask(() => set.has(fn) && fn());
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
    };
  }

  /** Containers with someone waiting (for tests and leak checks). */
  get size(): number {
    return this.#waiters.size;
  }
}
