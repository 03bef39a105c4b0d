/**
 * Runs the controllers of a table (controllers.ts) as kube-controller-manager
 * does: builds each one on shared informers, starts the informers, waits
 * until every cache holds its first list, then starts the controllers in
 * table order; stops them in reverse, then the informers.
 *
 * Nothing survives in memory across a restart and nothing needs to: the
 * informers' first list hands every controller an add for every object, so
 * each reconciles every key it owns from the store on start.
 */
import type { ControllerClient } from '../client/client.ts';
import { systemClock, type Clock } from '../clock/clock.ts';
import type { Controller, ControllerDefinition } from './controller.ts';
import { InformerFactory } from './informer-factory.ts';

export interface ControllerManagerOptions {
  client: ControllerClient;
  definitions: readonly ControllerDefinition[];
  nodeName: string;
  /** Passed on to the controllers (ControllerContext.dataDir). */
  dataDir?: string;
  clock?: Clock;
  /** How often informers resync (default ten minutes; 0 for never). */
  resyncPeriodMs?: number;
  log?: (msg: string) => void;
}

/**
 * The informers' resync: the safety net that re-reconciles every cached
 * object. Cheap (it reads the cache, not the store), so more often than
 * kube-controller-manager's 12 h.
 */
export const defaultResyncPeriodMs = 10 * 60_000;

export class ControllerManager {
  readonly #o: ControllerManagerOptions;
  #informers: InformerFactory | undefined;
  #running: { name: string; controller: Controller }[] = [];
  #stopped = false;

  constructor(opts: ControllerManagerOptions) {
    this.#o = opts;
  }

  /** Resolves once every controller runs; rejects if `signal` aborts while caches sync. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#informers || this.#stopped) return;
    const clock = this.#o.clock ?? systemClock;
    const log = this.#o.log ?? (() => {});
    const informers = new InformerFactory({ client: this.#o.client, clock, resyncPeriodMs: this.#o.resyncPeriodMs ?? defaultResyncPeriodMs, log });
    this.#informers = informers;
    const ctx = { client: this.#o.client, informers, clock, nodeName: this.#o.nodeName, dataDir: this.#o.dataDir, log };
    const created = this.#o.definitions.map((d) => ({ name: d.name, controller: d.create(ctx) }));
    signal.addEventListener('abort', () => this.stop(), { once: true });
    informers.start(signal);
    await informers.waitForCacheSync(signal);
    if (this.#stopped) return;
    for (const c of created) {
      c.controller.start(signal);
      this.#running.push(c);
    }
  }

  /** Names of the running controllers, in start order. */
  get running(): string[] {
    return this.#running.map((c) => c.name);
  }

  /** Idempotent: controllers in reverse start order, then the informers. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const c of this.#running.reverse()) c.controller.stop();
    this.#running = [];
    this.#informers?.stop();
  }
}
