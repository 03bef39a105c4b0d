/**
 * One worker per pod UID, serializing that pod's syncs.
 *
 * Level-triggered and coalescing: `update(uid)` marks the pod dirty; a running
 * sync is never interrupted, and however many updates arrive meanwhile, one
 * more sync follows it. A sync may ask to be run again after a delay (backoff
 * windows, probe periods); an earlier update supersedes that timer. Different
 * pods sync concurrently. Requeue timers run on the injected clock.
 */
import { systemClock, type Clock, type ClockTimer } from '../clock/clock.ts';

export type SyncFn = (uid: string) => Promise<{ requeueAfterMs?: number; done?: boolean }>;

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

  constructor(sync: SyncFn, log: (msg: string) => void = () => {}, clock: Clock = systemClock) {
    this.#sync = sync;
    this.#log = log;
    this.#clock = clock;
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
        if (!w.dirty && res.requeueAfterMs !== undefined && !this.#stopped) {
          const delay = Math.max(0, Math.ceil(res.requeueAfterMs));
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
