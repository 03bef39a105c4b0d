/**
 * A DelayingQueue that retries failed keys with backoff (client-go's
 * RateLimitingInterface): a worker that fails on a key calls
 * `addRateLimited(key)`, which adds it after the limiter's delay; one that
 * succeeds calls `forget(key)` so the next failure starts from the shortest
 * delay again. The default limiter is client-go's
 * (rate-limiter.ts: 5 ms doubling to 1000 s per key, 10/s overall).
 */
import type { Clock } from '../clock/clock.ts';
import { DelayingQueue } from './delaying-queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export class RateLimitingQueue<K = string> extends DelayingQueue<K> {
  readonly #limiter: RateLimiter<K>;

  constructor(clock: Clock, limiter: RateLimiter<K> = defaultControllerRateLimiter(clock)) {
    super(clock);
    this.#limiter = limiter;
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.#limiter.when(key));
  }

  forget(key: K): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#limiter.numRequeues(key);
  }
}
