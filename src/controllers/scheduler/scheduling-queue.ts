/**
 * The scheduling queue's bookkeeping (kube-scheduler's PriorityQueue for one
 * profile): a pod that failed waits among the unschedulable pods until a
 * cluster event its failing plugins care about moves it, then retries once
 * its backoff (1 s doubling to 10 s per attempt) has passed since its last
 * attempt. A move during the attempt sends it straight to backoff. Pods
 * unschedulable for 5 minutes are moved anyway (the flush, every 30 s).
 *
 * The active and backoff queues are the controller's DelayingQueue: a key
 * is added when it may be tried now, or after its remaining backoff.
 * State: per pod its attempts, last attempt time and failing plugins.
 */
import type { Clock } from '../../clock/clock.ts';
import type { DelayingQueue } from '../delaying-queue.ts';

export const podInitialBackoffMs = 1000;
export const podMaxBackoffMs = 10_000;
export const podMaxInUnschedulableMs = 5 * 60_000;
export const flushUnschedulableEveryMs = 30_000;

/** calculateBackoffDuration: 0 before any attempt, then 1 s doubling, capped at 10 s. */
export function backoffMs(attempts: number): number {
  if (attempts === 0) return 0;
  let d = podInitialBackoffMs;
  for (let i = 1; i < attempts; i++) {
    if (d > podMaxBackoffMs - d) return podMaxBackoffMs;
    d += d;
  }
  return d;
}

interface Entry {
  attempts: number;
  lastAttemptAt: number;
  plugins: Set<string>;
  /** Set while the pod waits among the unschedulable pods. */
  unschedulableSince?: number;
}

export class SchedulingQueue {
  readonly #queue: DelayingQueue<string>;
  readonly #clock: Clock;
  readonly #pods = new Map<string, Entry>();
  #moves = 0;

  constructor(queue: DelayingQueue<string>, clock: Clock) {
    this.#queue = queue;
    this.#clock = clock;
  }

  /** Whether the queue already tracks the pod (it failed before and waits or backs off). */
  tracks(key: string): boolean {
    return this.#pods.has(key);
  }

  isUnschedulable(key: string): boolean {
    return this.#pods.get(key)?.unschedulableSince !== undefined;
  }

  /** A pod to try as soon as possible: new, or one whose own spec changed. */
  add(key: string): void {
    if (this.#pods.has(key)) this.#requeue(key);
    else this.#queue.add(key);
  }

  /** The move cycle an attempt starts in; pass it to `failed`. */
  startAttempt(): number {
    return this.#moves;
  }

  /** The pod was bound or is gone. */
  forget(key: string): void {
    this.#pods.delete(key);
  }

  failed(key: string, plugins: Set<string>, cycle: number): void {
    const e = this.#pods.get(key) ?? { attempts: 0, lastAttemptAt: 0, plugins };
    e.attempts++;
    e.lastAttemptAt = this.#clock.now();
    e.plugins = plugins;
    e.unschedulableSince = this.#clock.now();
    this.#pods.set(key, e);
    // Something changed while it was being scheduled: it may fit now.
    if (this.#moves > cycle) this.#requeue(key);
  }

  /** A cluster event: moves the unschedulable pods `hint` says it may help. */
  move(hint: (key: string, plugins: ReadonlySet<string>) => boolean): void {
    this.#moves++;
    for (const [key, e] of this.#pods) if (e.unschedulableSince !== undefined && hint(key, e.plugins)) this.#requeue(key);
  }

  /** flushUnschedulablePodsLeftover. */
  flushLeftover(): void {
    const now = this.#clock.now();
    for (const [key, e] of this.#pods) if (e.unschedulableSince !== undefined && now - e.unschedulableSince >= podMaxInUnschedulableMs) this.#requeue(key);
  }

  #requeue(key: string): void {
    const e = this.#pods.get(key);
    if (!e) return;
    e.unschedulableSince = undefined;
    const wait = e.lastAttemptAt + backoffMs(e.attempts) - this.#clock.now();
    if (wait > 0) this.#queue.addAfter(key, wait);
    else this.#queue.add(key);
  }
}
