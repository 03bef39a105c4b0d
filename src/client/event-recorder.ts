/**
 * Records core/v1 Events the way client-go's recorder does for the kubelet
 * and the scheduler: an identical event (same source, object, type, reason
 * and message) within ten minutes increments `count` and `lastTimestamp` of
 * the existing Event instead of creating a new one.
 *
 * Recording never fails the caller, as with client-go's broadcaster: an event
 * the API refuses (e.g. Forbidden while its namespace terminates) is dropped
 * and reported to the optional `log`.
 *
 * State: a bounded in-memory cache of recent events by key (LRU of 4096).
 * Secret values never reach events: callers pass messages, not objects.
 */
import type { Event } from '../api/api.ts';
import { rfc3339 } from '../api/api.ts';
import type { EventClient } from './event-client.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
  fieldPath?: string;
}

const aggregateWindowMs = 10 * 60 * 1000;
const cacheLimit = 4096;

interface Cached {
  count: number;
  lastSeen: number;
  event: Event;
}

export class EventRecorder {
  #client: EventClient;
  #source: EventSource;
  #now: () => number;
  #cache = new Map<string, Cached>();
  // A random start, so two recorders naming events of one object in the same millisecond differ (client-go has real nanoseconds).
  #seq = Math.floor(Math.random() * 1_000_000);
  #log: (msg: string) => void;

  constructor(client: EventClient, source: EventSource, now: () => number = Date.now, log: (msg: string) => void = () => {}) {
    this.#client = client;
    this.#source = source;
    this.#now = now;
    this.#log = log;
  }

  record(ref: ObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    try {
      this.#record(ref, type, reason, message);
    } catch (err) {
      this.#log(`server rejected event ${reason} for ${ref.namespace}/${ref.name} (will not retry): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  #record(ref: ObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = this.#now();
    const key = JSON.stringify([ref.kind, ref.namespace, ref.name, ref.uid, ref.fieldPath ?? '', type, reason, message]);
    const hit = this.#cache.get(key);
    if (hit && now - hit.lastSeen <= aggregateWindowMs) {
      hit.count++;
      hit.lastSeen = now;
      // Unconditional, as client-go's count patch: the recorder is the event's only writer.
      const ev: Event = {
        ...hit.event,
        metadata: { ...hit.event.metadata, resourceVersion: undefined },
        count: hit.count,
        lastTimestamp: rfc3339(now),
      };
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      if (this.#client.update(ev)) {
        hit.event = ev;
        return;
      }
      // The event expired or was deleted: start a new one.
      this.#cache.delete(key);
    }
    const ev: Event = {
      // A cluster-scoped object's events live in default, as client-go's makeEvent puts them.
      metadata: { name: this.#eventName(ref.name, now), namespace: ref.namespace || 'default' },
      involvedObject: {
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        uid: ref.uid,
        apiVersion: ref.apiVersion,
        ...(ref.resourceVersion ? { resourceVersion: ref.resourceVersion } : {}),
        ...(ref.fieldPath ? { fieldPath: ref.fieldPath } : {}),
      },
      reason,
      message,
      source: { component: this.#source.component, ...(this.#source.host ? { host: this.#source.host } : {}) },
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
      type,
      eventTime: null as unknown as undefined,
      reportingComponent: this.#source.component,
      reportingInstance: this.#source.host ?? '',
    };
    const created = this.#client.create(ev);
    this.#cache.set(key, { count: 1, lastSeen: now, event: created });
    if (this.#cache.size > cacheLimit) this.#cache.delete(this.#cache.keys().next().value!);
  }

  /** `<object>.<hex nanoseconds>`, unique per recorder. */
  #eventName(objectName: string, now: number): string {
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.#seq++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }
}
