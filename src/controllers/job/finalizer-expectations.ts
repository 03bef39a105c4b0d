/**
 * The pods whose tracking finalizer a Job's sync removed and whose update
 * the pod informer has not shown yet (upstream's uidTrackingExpectations
 * for finalizers). Until then a stale cached copy of such a pod, still
 * holding the finalizer, must not be counted again.
 *
 * State: in memory, per Job key; empty after a restart, when the store is
 * the truth.
 */
export class FinalizerExpectations {
  #byKey = new Map<string, Set<string>>();

  expected(key: string): Set<string> {
    return new Set(this.#byKey.get(key) ?? []);
  }

  expectRemovals(key: string, uids: readonly string[]): void {
    const s = this.#byKey.get(key) ?? new Set<string>();
    for (const u of uids) s.add(u);
    this.#byKey.set(key, s);
  }

  removalObserved(key: string, uid: string): void {
    const s = this.#byKey.get(key);
    if (!s) return;
    s.delete(uid);
    if (s.size === 0) this.#byKey.delete(key);
  }

  delete(key: string): void {
    this.#byKey.delete(key);
  }
}
