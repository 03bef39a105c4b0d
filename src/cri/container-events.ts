/**
 * `ContainerEventSource` over containerd's own Events service (containerd 1.6
 * has no CRI GetContainerEvents).
 *
 * Each `subscribe` owns one server stream filtered to the CRI namespace and
 * task topics. Events are delivered synchronously from the stream's data
 * callback: no queue, no timer between containerd and the callback.
 *
 * Reconnection: when the stream ends for any reason other than our own cancel
 * (containerd restarted, socket gone), it is reopened after a backoff that
 * starts at `initialMs`, doubles to `maxMs`, and resets once an event arrives.
 * The reopened call waits for the channel to become ready, so a restarted
 * containerd is picked up as soon as its socket accepts. Events emitted while
 * no stream was open are lost: consumers relist after the runtime reports
 * ready again (and periodically anyway).
 *
 * Timers: one pending reconnect timeout per disconnected subscription.
 * Everything stops when the subscription's signal aborts or the client closes.
 */
import { Metadata, type Client, type ClientReadableStream, type ServiceDefinition } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import type { ContainerEvent, ContainerEventSource } from './types.ts';
import { decodeTaskEvent, type WireEnvelope } from './task-event-decoding.ts';

/** containerd's namespace for everything the CRI plugin creates. */
export const CRI_NAMESPACE = 'k8s.io';

export interface EventSourceOptions {
  namespace?: string;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Receives exceptions thrown by a subscriber's callback; the stream goes on
   * either way. Default: rethrown asynchronously, like an EventEmitter listener's.
   */
  onConsumerError?: (err: unknown) => void;
}

function rethrowLater(err: unknown): void {
  process.nextTick(() => {
    throw err;
  });
}

export class ContainerdEventSource implements ContainerEventSource {
  #client: Client;
  #def: ServiceDefinition;
  #root: protobuf.Root;
  #namespace: string;
  #backoff: { initialMs: number; maxMs: number };
  #onConsumerError: (err: unknown) => void;
  /** Cancels every live subscription; set by close(). */
  #closed = new AbortController();

  constructor(client: Client, def: ServiceDefinition, root: protobuf.Root, opts: EventSourceOptions = {}) {
    this.#client = client;
    this.#def = def;
    this.#root = root;
    this.#namespace = opts.namespace ?? CRI_NAMESPACE;
    this.#backoff = opts.backoff ?? { initialMs: 50, maxMs: 2000 };
    this.#onConsumerError = opts.onConsumerError ?? rethrowLater;
  }

  /** containerd filter expressions: one filter, its clauses ANDed. */
  get filters(): string[] {
    return [`namespace==${JSON.stringify(this.#namespace)},topic~=${JSON.stringify('^/tasks/')}`];
  }

  /** Ends every subscription for good (the client is closing). Idempotent. */
  close(): void {
    this.#closed.abort();
  }

  subscribe(onEvent: (e: ContainerEvent) => void, subscriberSignal: AbortSignal): void {
    const signal = AbortSignal.any([subscriberSignal, this.#closed.signal]);
    if (signal.aborted) return;
    const method = this.#def.Subscribe;
    let delay = this.#backoff.initialMs;
    let call: ClientReadableStream<WireEnvelope> | undefined;
    let timer: NodeJS.Timeout | undefined;

    const open = () => {
      timer = undefined;
      if (signal.aborted) return;
      const md = new Metadata();
      md.setOptions({ waitForReady: true });
      let c: ClientReadableStream<WireEnvelope>;
      try {
        c = this.#client.makeServerStreamRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          { filters: this.filters },
          md,
          {},
        ) as ClientReadableStream<WireEnvelope>;
      } catch {
        // The channel was closed under us: nothing left to subscribe to.
        return;
      }
      call = c;
      c.on('data', (env: WireEnvelope) => {
        delay = this.#backoff.initialMs;
        const e = decodeTaskEvent(env, this.#root);
        if (!e) return;
        try {
          onEvent(e);
        } catch (err) {
          // A consumer bug must not tear down the stream.
          this.#onConsumerError(err);
        }
      });
      // 'status' always follows; reconnection is driven from there.
      c.on('error', () => {});
      c.on('status', () => {
        if (call !== c) return;
        call = undefined;
        if (signal.aborted) return;
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, this.#backoff.maxMs);
      });
    };

    signal.addEventListener(
      'abort',
      () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        const c = call;
        call = undefined;
        c?.cancel();
      },
      { once: true },
    );
    open();
  }
}
