/**
 * Test helper: `ProbeTimers` on a virtual clock. `advance(ms)` fires due
 * timers in time order and lets the promises they start settle, so a test
 * walks a probe schedule without sleeping.
 */
import type { ProbeTimers } from './probe-worker.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeTimers implements ProbeTimers {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#pending.push({ id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending = this.#pending.filter((p) => p.id !== handle);
  }

  /** Lets pending promise chains (probe attempts) run to completion. */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }

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
