/**
 * Test double: a `Clock` on virtual time. Nothing happens until the test
 * moves time:
 *
 *   step(ms)     moves time at once, firing every timer due by then in time
 *                order, synchronously (k8s.io/utils/clock/testing `Step`);
 *   advance(ms)  the same, but lets the promise chains each timer starts (a
 *                worker's reconcile) settle before the next one fires.
 *
 * Timers set while time moves fire in the same move when they fall due
 * within it; timers due at the same instant fire in the order they were set.
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

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
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

  /** Lets pending promise chains (workers, reconciles) run until they wait again. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
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

  #nextDue(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.#pending) {
      if (p.at <= end && (!best || p.at < best.at || (p.at === best.at && p.id < best.id))) best = p;
    }
    if (best) this.#pending.splice(this.#pending.indexOf(best), 1);
    return best;
  }
}
