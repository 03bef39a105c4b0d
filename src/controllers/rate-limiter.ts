/**
 * How long a key waits before it is retried (client-go's
 * workqueue/default_rate_limiters.go). `when` is asked once per retry and
 * counts it; `forget` ends the key's history once it succeeded.
 */
import type { Clock } from '../clock/clock.ts';

export interface RateLimiter<K = string> {
  /** The delay before the next retry of `key` (ms); counts the retry. */
  when(key: K): number;
  /** Clears the key's retry history. */
  forget(key: K): void;
  /** Retries counted since the last `forget`. */
  numRequeues(key: K): number;
}

/** Per key: `baseMs · 2^failures`, at most `maxMs`. */
export class ItemExponentialFailureRateLimiter<K = string> implements RateLimiter<K> {
  readonly #baseMs: number;
  readonly #maxMs: number;
  #failures = new Map<K, number>();

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(key: K): number {
    const exp = this.#failures.get(key) ?? 0;
    this.#failures.set(key, exp + 1);
    return Math.min(this.#baseMs * 2 ** exp, this.#maxMs);
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * One token bucket for every key (golang.org/x/time/rate's Reserve): `qps`
 * tokens a second, at most `burst` saved; a retry takes a token, and waits
 * for it when the bucket is empty. It bounds the overall retry rate, not a
 * key's.
 */
export class BucketRateLimiter<K = string> implements RateLimiter<K> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(qps: number, burst: number, clock: Clock) {
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_key: K): number {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(now, this.#last);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#qps) / 1000) - 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** The longest delay of several limiters; forget and count across all of them. */
export class MaxOfRateLimiter<K = string> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.#limiters = limiters;
  }

  when(key: K): number {
    return Math.max(...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: K): void {
    for (const l of this.#limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    return Math.max(...this.#limiters.map((l) => l.numRequeues(key)));
  }
}

/**
 * client-go's DefaultControllerRateLimiter: per key 5 ms doubling to 1000 s,
 * and overall 10 retries a second with bursts of 100.
 */
export function defaultControllerRateLimiter<K = string>(clock: Clock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ItemExponentialFailureRateLimiter(5, 1000_000), new BucketRateLimiter(10, 100, clock));
}
