/**
 * Restart delays for a crashing child: `initialMs`, doubling up to `maxMs`.
 * A run that stayed ready for at least `maxMs` counts as healthy, so the next
 * crash starts again from `initialMs`. Pure apart from its own counters.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RESTART_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

export class RestartBackoff {
  #policy: BackoffPolicy;
  #next: number;
  #readyAt: number | undefined;

  constructor(policy: BackoffPolicy = DEFAULT_RESTART_BACKOFF) {
    this.#policy = policy;
    this.#next = policy.initialMs;
  }

  /** The child became ready at `now`. */
  ready(now: number): void {
    this.#readyAt = now;
  }

  /** The child died (or failed to start) at `now`: how long to wait before the next start. */
  next(now: number): number {
    if (this.#readyAt !== undefined && now - this.#readyAt >= this.#policy.maxMs) this.#next = this.#policy.initialMs;
    this.#readyAt = undefined;
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.#policy.maxMs);
    return delay;
  }
}
