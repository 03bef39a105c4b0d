/**
 * ControllerExpectations that count each expected deletion once
 * (upstream's UIDTrackingControllerExpectations): a pod the controller
 * deletes is seen going twice, first as an update setting its
 * deletionTimestamp and later as its removal, and only the first may lower
 * the count, or a later scale down's expectations would be lowered by an
 * earlier one's pods. So expected deletions are remembered by pod key and
 * a deletion counts only for a key still remembered.
 *
 * State: in memory, per controller key; forgotten with `delete`.
 */
import type { Clock } from '../../clock/clock.ts';
import { ControllerExpectations } from '../expectations.ts';

export class UidTrackingExpectations {
  readonly #counts: ControllerExpectations;
  #deleteKeys = new Map<string, Set<string>>();

  constructor(clock: Clock) {
    this.#counts = new ControllerExpectations(clock);
  }

  satisfied(key: string): boolean {
    return this.#counts.satisfied(key);
  }

  get(key: string): { add: number; del: number } | undefined {
    return this.#counts.get(key);
  }

  expectCreations(key: string, adds: number): void {
    this.#counts.expectCreations(key, adds);
  }

  creationObserved(key: string): void {
    this.#counts.creationObserved(key);
  }

  /** Expects exactly these pods (by `namespace/name`) to go, replacing any keys still expected. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const keys = new Set(podKeys);
    this.#deleteKeys.set(key, keys);
    this.#counts.expectDeletions(key, keys.size);
  }

  /** A pod of the controller `key` is going or gone; counts once per expected pod key. */
  deletionObserved(key: string, podKey: string): void {
    const keys = this.#deleteKeys.get(key);
    if (!keys?.has(podKey)) return;
    keys.delete(podKey);
    this.#counts.deletionObserved(key);
  }

  delete(key: string): void {
    this.#deleteKeys.delete(key);
    this.#counts.delete(key);
  }
}
