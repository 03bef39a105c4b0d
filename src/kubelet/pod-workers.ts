/**
 * One worker per pod UID, serializing that pod's syncs.
 *
 * Level-triggered and coalescing: `update(uid)` marks the pod dirty; a running
 * sync is never interrupted, and however many updates arrive meanwhile, one
 * more sync follows it. A sync may ask to be run again after a delay (backoff
 * windows, probe periods); an earlier update supersedes that timer. Different
 * pods sync concurrently. Requeue timers run on the injected clock.
 *
 * Resync: with `resyncMs`, every pod is synced again that long after its
 * last sync, stretched by a random jitter up to half of it, as the kubelet's
 * pod workers requeue themselves (syncFrequency 1 min, jitter factor 0.5):
 * the safety net of the level-triggered loop, spread over time instead of a
 * burst of every pod at once.
 */
import { systemClock, type Clock, type ClockTimer } from '../clock/clock.ts';

export type SyncFn = (uid: string) => Promise<{ requeueAfterMs?: number; done?: boolean }>;

export interface PodWorkersOptions {
  log?: (msg: string) => void;
  clock?: Clock;
  /** The resync period (ms) before jitter; none when unset. */
  resyncMs?: number;
  /** [0, 1) for the jitter; Math.random unless a test fixes it. */
  random?: () => number;
}

/** The kubelet's workerResyncIntervalJitterFactor. */
export const resyncJitterFactor = 0.5;

interface Worker {
  running: boolean;
  dirty: boolean;
  timer: ClockTimer | undefined;
}

export class PodWorkers {
  #sync: SyncFn;
  #workers = new Map<string, Worker>();
  #log: (msg: string) => void;
  #stopped = false;
  #idle: (() => void)[] = [];
  #clock: Clock;
  #resyncMs: number | undefined;
  #random: () => number;

  constructor(sync: SyncFn, opts: PodWorkersOptions = {}) {
    this.#sync = sync;
    this.#log = opts.log ?? (() => {});
    this.#clock = opts.clock ?? systemClock;
    this.#resyncMs = opts.resyncMs;
    this.#random = opts.random ?? Math.random;
  }

  /** When the worker syncs again unless something wakes it earlier: the sync's own request or the resync. */
  #nextDelay(requeueAfterMs: number | undefined): number | undefined {
    const resync = this.#resyncMs === undefined ? undefined : this.#resyncMs * (1 + this.#random() * resyncJitterFactor);
    if (requeueAfterMs === undefined) return resync;
    return resync === undefined ? requeueAfterMs : Math.min(requeueAfterMs, resync);
  }

  /** Requests a sync of `uid` as soon as possible. */
  update(uid: string): void {
    if (this.#stopped) return;
    let w = this.#workers.get(uid);
    if (!w) {
      w = { running: false, dirty: false, timer: undefined };
      this.#workers.set(uid, w);
    }
    if (w.timer) {
      this.#clock.clearTimeout(w.timer);
      w.timer = undefined;
    }
    if (w.running) {
      w.dirty = true;
      return;
    }
    void this.#run(uid, w);
  }

  async #run(uid: string, w: Worker): Promise<void> {
    w.running = true;
    try {
      do {
        w.dirty = false;
        let res: { requeueAfterMs?: number; done?: boolean } = {};
        try {
          res = await this.#sync(uid);
        } catch (err) {
          this.#log(`sync of pod ${uid} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          res = { requeueAfterMs: 1000 };
        }
        if (res.done && !w.dirty) {
          this.#workers.delete(uid);
          return;
        }
        const next = this.#nextDelay(res.requeueAfterMs);
        if (!w.dirty && next !== undefined && !this.#stopped) {
          const delay = Math.max(0, Math.ceil(next));
          w.timer = this.#clock.setTimeout(() => {
            w.timer = undefined;
            this.update(uid);
          }, delay);
        }
      } while (w.dirty && !this.#stopped);
    } finally {
      w.running = false;
      if (this.#stopped && ![...this.#workers.values()].some((x) => x.running)) {
        for (const r of this.#idle.splice(0)) r();
      }
    }
  }

  /** Stops timers and waits for running syncs to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const w of this.#workers.values()) this.#clock.clearTimeout(w.timer);
    if (![...this.#workers.values()].some((w) => w.running)) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }
}
