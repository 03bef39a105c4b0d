/**
 * A level-triggered, coalescing loop — kube-proxy's BoundedFrequencyRunner
 * (pkg/util/async/bounded_frequency_runner.go): `run()` asks for a run of
 * `fn`; asks that arrive while a run is waiting or in progress fold into one
 * later run, which sees the latest state.
 *
 *  - Bounded: a token bucket of `burst` runs, refilled at one per
 *    `minIntervalMs`. With a token at hand a run starts on the next timer turn
 *    (so the changes of one tick coalesce); without, when the next token is
 *    due — at most `minIntervalMs` away.
 *  - Never concurrent: at most one `fn` in progress.
 *  - Periodic: a run happens at least every `maxIntervalMs` (the safety net
 *    that repairs rules someone else changed); `fn` is told it is periodic.
 *  - `retryAfter(ms)`: a run no later than `ms` from now, also "periodic" (a
 *    retry after a failure rewrites everything).
 *
 * Time comes from the injected clock; every timer is unref'd, so the loop
 * never keeps the process alive.
 */
import type { ProxyClock, ProxyTimer } from './clock.ts';

export interface BoundedFrequencyOptions {
  clock: ProxyClock;
  minIntervalMs: number;
  maxIntervalMs: number;
  burst: number;
}

export class BoundedFrequencyRunner {
  readonly #fn: (periodic: boolean) => Promise<void>;
  readonly #o: BoundedFrequencyOptions;
  #tokens: number;
  #refilledAt: number;
  #timer: ProxyTimer | undefined;
  #timerAt = Infinity;
  #periodicTimer: ProxyTimer | undefined;
  #retryTimer: ProxyTimer | undefined;
  #running: Promise<void> | undefined;
  #requested = false;
  #periodicDue = false;
  #stopped = true;

  constructor(fn: (periodic: boolean) => Promise<void>, options: BoundedFrequencyOptions) {
    this.#fn = fn;
    this.#o = options;
    this.#tokens = options.burst;
    this.#refilledAt = options.clock.now();
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#armPeriodic();
    if (this.#requested || this.#periodicDue) this.#kick();
  }

  /** Asks for a run. Before `start()` the ask is kept and honoured at start. */
  run(): void {
    this.#requested = true;
    if (!this.#stopped) this.#kick();
  }

  retryAfter(ms: number): void {
    if (this.#stopped) return;
    this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#o.clock
      .setTimeout(() => {
        this.#retryTimer = undefined;
        this.#periodicDue = true;
        this.#kick();
      }, ms)
      .unref() as ProxyTimer;
  }

  /** Stops the timers and waits for a run in progress. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of [this.#timer, this.#periodicTimer, this.#retryTimer]) this.#o.clock.clearTimeout(t);
    this.#timer = this.#periodicTimer = this.#retryTimer = undefined;
    this.#timerAt = Infinity;
    await this.#running;
  }

  #refill(): void {
    const now = this.#o.clock.now();
    this.#tokens = Math.min(this.#o.burst, this.#tokens + (now - this.#refilledAt) / this.#o.minIntervalMs);
    this.#refilledAt = now;
  }

  #kick(): void {
    if (this.#stopped || this.#running) return; // the run in progress kicks again when it ends
    this.#refill();
    const wait = this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * this.#o.minIntervalMs);
    const at = this.#o.clock.now() + wait;
    if (this.#timer && this.#timerAt <= at) return;
    this.#o.clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#o.clock.setTimeout(() => this.#fire(), wait).unref() as ProxyTimer;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#stopped || this.#running || !(this.#requested || this.#periodicDue)) return;
    this.#refill();
    if (this.#tokens < 1) return this.#kick();
    this.#tokens -= 1;
    const periodic = this.#periodicDue;
    this.#requested = this.#periodicDue = false;
    this.#running = this.#invoke(periodic);
  }

  async #invoke(periodic: boolean): Promise<void> {
    try {
      await this.#fn(periodic);
    } catch {
      // fn reports its own failures and asks for a retry.
    } finally {
      this.#running = undefined;
      if (!this.#stopped) {
        this.#armPeriodic();
        if (this.#requested || this.#periodicDue) this.#kick();
      }
    }
  }

  #armPeriodic(): void {
    this.#o.clock.clearTimeout(this.#periodicTimer);
    this.#periodicTimer = this.#o.clock
      .setTimeout(() => {
        this.#periodicTimer = undefined;
        this.#periodicDue = true;
        this.#kick();
      }, this.#o.maxIntervalMs)
      .unref() as ProxyTimer;
  }
}
