/**
 * One SharedInformer per resource, shared by every controller that asks
 * (client-go's SharedInformerFactory): a resource is listed, watched and
 * cached once however many controllers read it.
 *
 * Controllers ask for informers while they are being created; `start`
 * then starts every informer asked for so far (and can be called again for
 * later ones), and `waitForCacheSync` resolves once all of them hold their
 * first list.
 */
import type { ApiObject, ControllerClient, Resources, ResourceClient } from '../client/client.ts';
import { sleep, type Clock } from '../clock/clock.ts';
import { listWatchOf } from './reflector.ts';
import { SharedInformer } from './shared-informer.ts';

export interface InformerFactoryOptions {
  client: Pick<ControllerClient, 'resource'>;
  clock: Clock;
  /** Resync period of every informer; 0 for none. */
  resyncPeriodMs: number;
  log?: (msg: string) => void;
}

/** How often waitForCacheSync looks again, as client-go's WaitForCacheSync polls. */
const syncPollMs = 100;

export class InformerFactory {
  readonly #o: InformerFactoryOptions;
  #informers = new Map<string, SharedInformer<any>>();
  #signal: AbortSignal | undefined;
  #stopped = false;

  constructor(opts: InformerFactoryOptions) {
    this.#o = opts;
  }

  /** The shared informer of a resource by plural name. */
  forResource<R extends keyof Resources>(name: R): SharedInformer<Resources[R]> {
    return this.informerFor(this.#o.client.resource(name));
  }

  /** The shared informer of the resource `client` reads (by group, version and resource). */
  informerFor<T extends ApiObject>(client: ResourceClient<T>): SharedInformer<T> {
    const d = client.description;
    const id = `${d.group}/${d.version}/${d.resource}`;
    let informer = this.#informers.get(id) as SharedInformer<T> | undefined;
    if (!informer) {
      informer = new SharedInformer<T>({
        name: d.resource,
        listerWatcher: listWatchOf(client),
        clock: this.#o.clock,
        resyncPeriodMs: this.#o.resyncPeriodMs,
        log: this.#o.log,
      });
      this.#informers.set(id, informer);
    }
    return informer;
  }

  /** Starts every informer not started yet; they stop with `signal` or `stop()`. */
  start(signal: AbortSignal): void {
    if (this.#stopped) return;
    this.#signal = signal;
    for (const informer of this.#informers.values()) informer.start(signal);
  }

  hasSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.hasSynced());
  }

  /** Resolves once every informer holds its first list; rejects when `signal` aborts first. */
  async waitForCacheSync(signal: AbortSignal | undefined = this.#signal): Promise<void> {
    while (!this.hasSynced()) await sleep(this.#o.clock, syncPollMs, signal);
  }

  /** Idempotent. */
  stop(): void {
    this.#stopped = true;
    for (const informer of this.#informers.values()) informer.stop();
  }
}
