/**
 * What a controller expects to see after its own creates and deletes
 * (kube-controller-manager's ControllerExpectations, pkg/controller/
 * controller_utils.go). A controller that just created N objects for a key
 * must not act on that key again from a cache that has not seen them yet, or
 * it would create them twice. So before writing it calls
 * `expectCreations(key, n)`; its informer handlers call `creationObserved`
 * for each object that appears; and its reconcile does nothing for the key
 * until `satisfied(key)`.
 *
 * A key is satisfied when its expected adds and deletes are both ≤ 0, when
 * its expectations are older than five minutes (a create that failed
 * without being lowered must not wedge the key forever), or when it has no
 * expectations at all (a new controller, or one just restarted: the cache
 * rebuilt from the store is the truth then).
 *
 * State: in memory only, by design: after a restart every key starts
 * satisfied and is reconciled from the store.
 */
import type { Clock } from '../clock/clock.ts';

/** ExpectationsTimeout: how long unobserved expectations hold a key. */
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** When they were set; lowering or raising does not move it. */
  timestamp: number;
}

export class ControllerExpectations {
  readonly #clock: Clock;
  #byKey = new Map<string, Expectation>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Whether the controller may act on `key` (see the file comment). */
  satisfied(key: string): boolean {
    const e = this.#byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.#clock.now() - e.timestamp > expectationsTimeoutMs;
  }

  /** The outstanding adds and deletes, or undefined when the key has none. */
  get(key: string): { add: number; del: number } | undefined {
    const e = this.#byKey.get(key);
    return e && { add: e.add, del: e.del };
  }

  /** Replaces the key's expectations, restarting its timeout. */
  set(key: string, add: number, del: number): void {
    this.#byKey.set(key, { add, del, timestamp: this.#clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.set(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.set(key, 0, dels);
  }

  /** Adds to existing expectations (without restarting the timeout); nothing when there are none. */
  raise(key: string, add: number, del: number): void {
    const e = this.#byKey.get(key);
    if (!e) return;
    e.add += add;
    e.del += del;
  }

  /** Subtracts from existing expectations; e.g. for creates that failed and will never be observed. */
  lower(key: string, add: number, del: number): void {
    this.raise(key, -add, -del);
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  /** Forgets the key: its controller object was deleted. */
  delete(key: string): void {
    this.#byKey.delete(key);
  }
}
