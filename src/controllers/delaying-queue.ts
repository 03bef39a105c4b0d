/**
 * A WorkQueue that can add a key later (client-go's DelayingInterface):
 * `addAfter(key, ms)` adds it once `ms` passed on the injected clock. A key
 * waiting already keeps the earlier of its two times, as client-go's does.
 *
 * State: the waiting keys (key → ready time) and a min-heap of ready times,
 * with one clock timer armed for the earliest. Heap entries a later
 * `addAfter` superseded are skipped when they come up. The timer is unref'd:
 * a delayed key never keeps the process alive.
 */
import type { Clock, ClockTimer } from '../clock/clock.ts';
import { WorkQueue } from './work-queue.ts';

interface Entry<K> {
  key: K;
  at: number;
}

export class DelayingQueue<K = string> extends WorkQueue<K> {
  readonly #clock: Clock;
  #waiting = new Map<K, number>();
  #heap: Entry<K>[] = [];
  #timer: ClockTimer | undefined;
  #timerAt = Infinity;

  constructor(clock: Clock) {
    super();
    this.#clock = clock;
  }

  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + ms;
    const cur = this.#waiting.get(key);
    if (cur !== undefined && cur <= at) return;
    this.#waiting.set(key, at);
    push(this.#heap, { key, at });
    this.#arm();
  }

  /** Keys waiting for their time. */
  waitingLen(): number {
    return this.#waiting.size;
  }

  override shutDown(): void {
    super.shutDown();
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#waiting.clear();
    this.#heap = [];
  }

  #arm(): void {
    const next = this.#heap[0];
    if (!next || next.at >= this.#timerAt) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timerAt = next.at;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), next.at - this.#clock.now()).unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#clock.now();
    while (this.#heap.length > 0 && this.#heap[0].at <= now) {
      const { key, at } = pop(this.#heap)!;
      if (this.#waiting.get(key) !== at) continue;
      this.#waiting.delete(key);
      this.add(key);
    }
    this.#arm();
  }
}

function push<K>(heap: Entry<K>[], e: Entry<K>): void {
  heap.push(e);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (heap[parent].at <= heap[i].at) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function pop<K>(heap: Entry<K>[]): Entry<K> | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l].at < heap[m].at) m = l;
      if (r < heap.length && heap[r].at < heap[m].at) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  }
  return top;
}
