/**
 * Time as the service proxy sees it. The shape is the kubelet's `Clock`
 * (kubelet/container/clock.ts), declared again here because network/ does not
 * import the kubelet: the wiring may pass either one's system clock, and tests
 * pass `TestClock` (test-clock.ts).
 */

/** A pending timer; `unref` lets the process exit while it is pending. */
export interface ProxyTimer {
  unref(): unknown;
}

export interface ProxyClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): ProxyTimer;
  /** Cancels a pending timer; a fired, cancelled or undefined one is ignored. */
  clearTimeout(timer: ProxyTimer | undefined): void;
}

export const systemClock: ProxyClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};
