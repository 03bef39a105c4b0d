/**
 * Exponential backoff per key, as client-go's `flowcontrol.Backoff` without
 * jitter (the kubelet uses none): the first restart is immediate, then the
 * window doubles from `initialMs` to `maxMs`. An entry whose last update is
 * more than 2 × max before the reference event has expired (the container ran
 * long enough) and starts over. The window is applied exactly (Kubernetes
 * v1.35 behaviour, kubernetes#133066).
 *
 * State: in memory only, like the kubelet's: after a berth restart, backoff
 * starts afresh. Time comes from the injected clock.
 */
import { systemClock, type Clock } from '../../clock/clock.ts';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  #entries = new Map<string, Entry>();
  #initialMs: number;
  #maxMs: number;
  #clock: Clock;

  constructor(initialMs: number, maxMs: number, clock: Clock = systemClock) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#clock = clock;
  }

  #expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.#maxMs;
  }

  /** Whether less than the current window has passed since `eventTime`. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) return false;
    return this.#clock.now() - eventTime < e.backoffMs;
  }

  /** Milliseconds left in the window that started at `eventTime` (0 if none). */
  remaining(key: string, eventTime: number): number {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) return 0;
    return Math.max(0, eventTime + e.backoffMs - this.#clock.now());
  }

  /** Records a restart: a new or expired entry starts at the initial window, else it doubles. */
  next(key: string, eventTime: number): void {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) {
      this.#entries.set(key, { backoffMs: this.#initialMs, lastUpdate: this.#clock.now() });
    } else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.#maxMs);
      e.lastUpdate = this.#clock.now();
    }
  }

  /** The current window for `key` (0 when there is no entry). */
  get(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops entries not updated for 2 × max (the kubelet's periodic GC). */
  gc(): void {
    const now = this.#clock.now();
    for (const [k, e] of this.#entries) if (now - e.lastUpdate > 2 * this.#maxMs) this.#entries.delete(k);
  }

  /** Drops every entry whose key starts with `prefix` (a removed pod). */
  forget(prefix: string): void {
    for (const k of this.#entries.keys()) if (k.startsWith(prefix)) this.#entries.delete(k);
  }
}
