/**
 * The work queue controllers take keys from (client-go's workqueue.Typed):
 *
 *   - a key added while it waits is not added twice (dedupe);
 *   - a key handed out by `get` is "processing" until `done`: no second
 *     worker gets it meanwhile, so one key is never reconciled concurrently;
 *   - a key added while processing is held back ("dirty") and queued again
 *     by `done`, so a change during a reconcile is never lost;
 *   - keys come out in the order they were first added (FIFO).
 *
 * `get` waits for a key; after `shutDown` it resolves undefined at once and
 * `add` does nothing. Unlike client-go, keys still queued at shutdown are
 * dropped rather than drained: every controller reconciles every key again
 * at its next start (level-triggered), so nothing is lost by dropping them.
 */
export class WorkQueue<K = string> {
  #queue: K[] = [];
  /** Keys that need processing: queued ones, and processing ones added again. */
  #dirty = new Set<K>();
  #processing = new Set<K>();
  #waiters: ((key: K | undefined) => void)[] = [];
  #shuttingDown = false;

  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  /** The next key, marked processing; undefined once the queue shut down. */
  get(): Promise<K | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    if (this.#queue.length > 0) return Promise.resolve(this.#take(this.#queue.shift()!));
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Ends processing of `key`; queues it again if it was added meanwhile. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#enqueue(key);
  }

  /** Keys waiting to be handed out (not those processing). */
  len(): number {
    return this.#queue.length;
  }

  /** Whether `key` is handed out and not yet done. */
  isProcessing(key: K): boolean {
    return this.#processing.has(key);
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Idempotent: every waiting and later `get` resolves undefined. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#queue = [];
    for (const w of this.#waiters.splice(0)) w(undefined);
  }

  #enqueue(key: K): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(this.#take(key));
    else this.#queue.push(key);
  }

  #take(key: K): K {
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }
}
