/**
 * clock — time as berth's loops see it: one `Clock`, injected into every
 * component that reads the time or waits (upstream: k8s.io/utils/clock) —
 * the node agent, the controllers and their toolkit, the service proxy.
 * Tests pass `FakeClock` (fake-clock.ts) and move time by hand, so backoff
 * windows, probe periods, grace periods, requeues, resyncs and TTLs are
 * checked without sleeping.
 *
 * Not on the clock, and so on the platform's timers (each with a comment
 * saying why): deadlines of real I/O — a probe's connect or HTTP timeout, a
 * poll of a log file being followed, the wait for containerd to catch up
 * with an exit it already reported.
 */

/** A pending `Clock.setTimeout`. */
export interface ClockTimer {
  /** Lets the process exit while the timer is pending (Node's `Timeout.unref`); returns the timer. */
  unref(): ClockTimer;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now. Like Node's timers, a pending one keeps the process alive unless unref'd. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Cancels a pending timer; a fired, cancelled or undefined one is ignored. */
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** The real clock: the only place berth's injected time touches the platform's. */
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
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `fn` every `ms` (counted from the previous call's start, as
 * `setInterval`) until the returned function is called. A periodic loop
 * never keeps the process alive: its timers are unref'd.
 */
export function every(clock: Clock, ms: number, fn: () => void): () => void {
  let timer: ClockTimer | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    timer = clock.setTimeout(tick, ms).unref();
    fn();
  };
  timer = clock.setTimeout(tick, ms).unref();
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
