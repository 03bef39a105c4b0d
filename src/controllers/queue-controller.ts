/**
 * The loop every controller runs (client-go's processNextWorkItem): workers
 * take a key from the queue, reconcile it, and
 *
 *   - on success, `forget` its backoff, and add it again after
 *     `requeueAfterMs` when the reconcile asks for that (a time-based
 *     condition: an expiry, a grace period);
 *   - on error, log it and retry with the queue's per-key backoff;
 *   - either way, mark it done, so a change that came in meanwhile is
 *     reconciled again.
 *
 * A reconcile reads the informers' caches and writes through the client; it
 * must be level-triggered (look at the state now, not at what changed), so
 * that running it again, or after a restart, is always right.
 */
import type { Controller } from './controller.ts';
import type { RateLimitingQueue } from './rate-limiting-queue.ts';

export interface ReconcileResult {
  /** Reconcile this key again after this many ms, although nothing changed. */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => ReconcileResult | void | Promise<ReconcileResult | void>;

export interface QueueControllerOptions {
  /** For log lines. */
  name: string;
  queue: RateLimitingQueue<string>;
  reconcile: Reconcile;
  /** Keys reconciled at once (never the same key twice); default 1. */
  workers?: number;
  log?: (msg: string) => void;
}

export class QueueController implements Controller {
  readonly #o: QueueControllerOptions;
  #started = false;

  constructor(opts: QueueControllerOptions) {
    this.#o = opts;
  }

  start(signal: AbortSignal): void {
    if (this.#started || this.#o.queue.shuttingDown) return;
    this.#started = true;
    signal.addEventListener('abort', () => this.stop(), { once: true });
    for (let i = 0; i < (this.#o.workers ?? 1); i++) void this.#work();
  }

  /** Idempotent; a reconcile in progress finishes, no other starts. */
  stop(): void {
    this.#o.queue.shutDown();
  }

  async #work(): Promise<void> {
    const { queue, reconcile, name, log } = this.#o;
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        const result = await reconcile(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        log?.(`${name}: syncing "${key}" failed, will retry: ${err instanceof Error ? err.message : String(err)}`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }
}
