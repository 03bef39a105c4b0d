/**
 * Test double: a `Clock` on virtual time, the one fake clock of berth's
 * tests (node agent, controllers, service proxy). Nothing happens until the test moves time:
 *
 *   step(ms)     moves time at once, firing every timer due by then in time
 *                order, synchronously (k8s.io/utils/clock/testing `Step`);
 *   advance(ms)  walks time timer by timer, letting the promise chains each
 *                one starts (a probe attempt, a sync) settle before the next
 *                fires, so a test follows an async schedule without sleeping.
 *
 * Timers set while time moves fire in the same move when they fall due
 * within it. `unref` is accepted and means nothing here.
 */
import type { Clock, ClockTimer } from './clock.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

class FakeTimer implements ClockTimer {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
  unref(): FakeTimer {
    return this;
  }
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = ++this.#seq;
    this.#pending.push({ id, at: this.#now + Math.max(0, ms), fn });
    return new FakeTimer(id);
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (!(timer instanceof FakeTimer)) return;
    this.#pending = this.#pending.filter((p) => p.id !== timer.id);
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#pending.length;
  }

  /** Due times of the pending timers, soonest first, relative to now. */
  get pendingDelays(): number[] {
    return this.#pending.map((p) => p.at - this.#now).sort((a, b) => a - b);
  }

  /** Lets pending promise chains (workers, reconciles, syncs) run until they wait again. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  }

  #nextDue(end: number): Pending | undefined {
    this.#pending.sort((a, b) => a.at - b.at || a.id - b.id);
    const next = this.#pending[0];
    if (!next || next.at > end) return undefined;
    this.#pending.shift();
    return next;
  }

  step(ms: number): void {
    const end = this.#now + ms;
    for (let next = this.#nextDue(end); next; next = this.#nextDue(end)) {
      this.#now = next.at;
      next.fn();
    }
    this.#now = end;
  }

  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await this.settle();
    for (let next = this.#nextDue(end); next; next = this.#nextDue(end)) {
      this.#now = next.at;
      next.fn();
      await this.settle();
    }
    this.#now = end;
  }
}
