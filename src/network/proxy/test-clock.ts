/**
 * Test double: a `ProxyClock` on virtual time. Nothing fires until the test
 * calls `advance(ms)`, which walks time timer by timer and lets the promise
 * chains each timer starts settle before the next fires, so a test follows
 * the sync loop's schedule without sleeping.
 */
import type { ProxyClock, ProxyTimer } from './clock.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

class TestTimer implements ProxyTimer {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
  unref(): TestTimer {
    return this;
  }
}

export class TestClock implements ProxyClock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): ProxyTimer {
    const id = ++this.#seq;
    this.#pending.push({ id, at: this.#now + Math.max(0, ms), fn });
    return new TestTimer(id);
  }

  clearTimeout(timer: ProxyTimer | undefined): void {
    if (!(timer instanceof TestTimer)) return;
    this.#pending = this.#pending.filter((p) => p.id !== timer.id);
  }

  /** Due times of the pending timers, soonest first, relative to now. */
  get pendingDelays(): number[] {
    return this.#pending.map((p) => p.at - this.#now).sort((a, b) => a - b);
  }

  /** Lets pending promise chains run to completion. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  }

  /** Moves time by `ms`, firing due timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await this.settle();
    for (;;) {
      this.#pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#pending[0];
      if (!next || next.at > end) break;
      this.#pending.shift();
      this.#now = next.at;
      next.fn();
      await this.settle();
    }
    this.#now = end;
  }
}
