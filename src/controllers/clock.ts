/**
 * Time as the controllers see it: one `Clock`, injected into every informer,
 * queue, rate limiter, expectation and controller that reads the time or
 * waits (upstream: k8s.io/utils/clock). Tests pass `FakeClock`
 * (fake-clock.ts) and move time by hand, so resyncs, backoff, requeues and
 * TTLs are checked without sleeping.
 *
 * The same shape as the node agent's clock (kubelet/container/clock.ts), so
 * that the two can become one; controllers may not import the kubelet.
 */

/** A pending `Clock.setTimeout`. */
export interface ClockTimer {
  /** Lets the process exit while the timer is pending (Node's `Timeout.unref`); returns the timer. */
  unref(): ClockTimer;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Cancels a pending timer; a fired, cancelled or undefined one is ignored. */
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** The real clock: the only place the controllers' time touches the platform's. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** Resolves `ms` from now on `clock`; rejects with the signal's reason as soon as it aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms).unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
