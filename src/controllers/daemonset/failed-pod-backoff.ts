/**
 * The back-off between deletions of failed daemon pods on a node
 * (client-go's flowcontrol.Backoff as kube-controller-manager makes it for
 * the DaemonSet controller: 1 s doubling to 15 min, no jitter), so a pod
 * the kubelet keeps rejecting is not deleted and recreated in a hot loop.
 * An entry untouched for twice the maximum starts over.
 *
 * State: in memory per key; a restart forgets it, as upstream's does.
 */
import type { FailedPodBackoff } from './plan.ts';

export const failedPodBackoffInitialMs = 1000;
export const failedPodBackoffMaxMs = 15 * 60 * 1000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff implements FailedPodBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  #entries = new Map<string, Entry>();

  constructor(now: () => number, initialMs = failedPodBackoffInitialMs, maxMs = failedPodBackoffMaxMs) {
    this.#now = now;
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
  }

  #expired(e: Entry, at: number): boolean {
    return at - e.lastUpdate > 2 * this.#maxMs;
  }

  /** The current delay of `key`, 0 when it has none. */
  delayMs(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  /** Starts or doubles the delay of `key`. */
  next(key: string, at: number): void {
    const e = this.#entries.get(key);
    const backoffMs = !e || this.#expired(e, at) ? this.#initialMs : Math.min(e.backoffMs * 2, this.#maxMs);
    this.#entries.set(key, { backoffMs, lastUpdate: this.#now() });
    this.#gc(at);
  }

  /** Whether `at` is within the delay since the last `next` of `key`. */
  inBackoffSinceUpdate(key: string, at: number): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(e, at)) return false;
    return at - e.lastUpdate < e.backoffMs;
  }

  /** Forgets expired entries (upstream's periodic GC, done on write here). */
  #gc(at: number): void {
    for (const [k, e] of this.#entries) if (this.#expired(e, at)) this.#entries.delete(k);
  }
}
