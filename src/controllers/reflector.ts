/**
 * Keeps a sink (an informer's cache) equal to one resource in the API, as
 * client-go's Reflector does: list, hand the whole list to the sink, then
 * watch from the list's resourceVersion and hand it every change.
 *
 *   - A watch that closes resumes from the last resourceVersion the sink
 *     took, so nothing is missed and nothing is seen twice.
 *   - 410 Expired (the history after that resourceVersion was compacted)
 *     relists at once: the sink gets the whole state again and works out
 *     what changed.
 *   - Any other failure of a list or watch is retried after a backoff,
 *     800 ms doubling to 30 s (client-go's, without its jitter: there is one
 *     client and one server here); a list that succeeds, or a watch that
 *     delivered something before it closed, starts the backoff over.
 *
 * A change the sink throws on is not taken: the watch closes and the retry
 * delivers it again.
 *
 * State: the last resourceVersion taken and the current watch, in memory;
 * after a restart the first list rebuilds everything. Timers: only a pending
 * retry, on the injected clock.
 */
import { ApiError } from '../api/api.ts';
import type { ListOptions, ObjectList, ResourceClient, ResourceWatchEvent, StopWatch, ApiObject } from '../client/client.ts';
import type { Clock, ClockTimer } from '../clock/clock.ts';

/** The two calls a reflector makes (client-go's ListerWatcher). */
export interface ListerWatcher<T> {
  list(): ObjectList<T>;
  watch(resourceVersion: string, onEvent: (e: ResourceWatchEvent<T>) => void, onClosed: (err: unknown) => void): StopWatch;
}

/** Lists and watches one resource through a client, in one namespace or all, optionally filtered. */
export function listWatchOf<T extends ApiObject>(client: ResourceClient<T>, namespace?: string, opts: ListOptions = {}): ListerWatcher<T> {
  return {
    list: () => client.list(namespace, opts),
    watch: (resourceVersion, onEvent, onClosed) => client.watch(namespace, { ...opts, resourceVersion }, onEvent, onClosed),
  };
}

export interface ReflectorSink<T> {
  /** The complete state as of `resourceVersion`: replaces everything the sink holds. */
  replace(items: T[], resourceVersion: string): void;
  /** One change, in order. */
  apply(e: ResourceWatchEvent<T>): void;
}

export interface ReflectorOptions<T> {
  /** For log lines: the resource, e.g. `pods`. */
  name: string;
  listerWatcher: ListerWatcher<T>;
  sink: ReflectorSink<T>;
  clock: Clock;
  log?: (msg: string) => void;
}

export const initialBackoffMs = 800;
export const maxBackoffMs = 30_000;

export class Reflector<T extends ApiObject> {
  readonly #o: ReflectorOptions<T>;
  #resourceVersion = '';
  #stopWatch: StopWatch | undefined;
  #retryTimer: ClockTimer | undefined;
  #backoffMs = 0;
  #running = false;

  constructor(opts: ReflectorOptions<T>) {
    this.#o = opts;
  }

  /** The resourceVersion the sink is current with; '' before the first list. */
  get lastSyncResourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Lists (synchronously, with an in-process client) and starts watching. */
  start(signal?: AbortSignal): void {
    if (this.#running || signal?.aborted) return;
    this.#running = true;
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    this.#listAndWatch();
  }

  /** Idempotent. */
  stop(): void {
    this.#running = false;
    this.#stopWatch?.();
    this.#stopWatch = undefined;
    this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #listAndWatch(): void {
    if (!this.#running) return;
    try {
      const { items, resourceVersion } = this.#o.listerWatcher.list();
      this.#o.sink.replace(items, resourceVersion);
      this.#resourceVersion = resourceVersion;
    } catch (err) {
      this.#retry('list', err, () => this.#listAndWatch());
      return;
    }
    this.#backoffMs = 0;
    this.#watch();
  }

  #watch(): void {
    if (!this.#running) return;
    let delivered = false;
    const onEvent = (e: ResourceWatchEvent<T>) => {
      this.#o.sink.apply(e);
      this.#resourceVersion = e.object.metadata?.resourceVersion ?? this.#resourceVersion;
      delivered = true;
    };
    const onClosed = (err: unknown) => {
      this.#stopWatch = undefined;
      if (!this.#running) return;
      if (isExpired(err)) return this.#relist(err);
      if (delivered) this.#backoffMs = 0;
      this.#retry('watch', err, () => this.#watch());
    };
    try {
      this.#stopWatch = this.#o.listerWatcher.watch(this.#resourceVersion, onEvent, onClosed);
    } catch (err) {
      if (isExpired(err)) return this.#relist(err);
      this.#retry('watch', err, () => this.#watch());
    }
  }

  #relist(err: unknown): void {
    this.#o.log?.(`${this.#o.name}: watch from resourceVersion ${this.#resourceVersion} expired, relisting: ${message(err)}`);
    this.#listAndWatch();
  }

  #retry(what: string, err: unknown, fn: () => void): void {
    this.#backoffMs = this.#backoffMs === 0 ? initialBackoffMs : Math.min(this.#backoffMs * 2, maxBackoffMs);
    this.#o.log?.(`${this.#o.name}: ${what} failed, retrying in ${this.#backoffMs} ms: ${message(err)}`);
    this.#retryTimer = this.#o.clock
      .setTimeout(() => {
        this.#retryTimer = undefined;
        fn();
      }, this.#backoffMs)
      .unref();
  }
}

function isExpired(err: unknown): boolean {
  return err instanceof ApiError && err.code === 410;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
