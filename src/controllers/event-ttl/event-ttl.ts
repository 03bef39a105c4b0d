/**
 * event-ttl — deletes each Event one hour after its last occurrence, as
 * kube-apiserver's `--event-ttl` (default 1h) expires them. The smallest
 * complete controller in berth: one informer, one queue, one reconcile.
 *
 * Reconcile of an event key: gone → nothing; expired → delete it (only if
 * unchanged since the cache saw it); not yet → look again when it expires.
 * A new occurrence (count and lastTimestamp raised) is an informer update,
 * which enqueues the key, and the reconcile then pushes the expiry out.
 *
 * State: none of its own. On start every cached event is reconciled, so
 * events that expired while berth was down go at once.
 */
import type { Event } from '../../api/api.ts';
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';

export const eventTtlMs = 60 * 60 * 1000;

/** When `ev` expires: one TTL after its last occurrence (ms since the epoch). */
export function eventExpiresAt(ev: Event): number {
  const last = ev.lastTimestamp ?? ev.eventTime ?? ev.metadata?.creationTimestamp;
  return Date.parse(last ?? '') + eventTtlMs;
}

export const eventTtlController: ControllerDefinition = {
  name: 'event-ttl',
  create({ client, informers, clock, log }) {
    const events = informers.forResource('events');
    const queue = new RateLimitingQueue(clock);
    events.addEventHandler({
      add: (ev) => queue.add(objectKey(ev)),
      update: (_old, ev) => queue.add(objectKey(ev)),
    });

    const reconcile = (key: string): ReconcileResult | void => {
      const { namespace, name } = splitKey(key);
      const ev = events.lister.get(namespace, name);
      if (!ev) return;
      const expiresAt = eventExpiresAt(ev);
      // An event without any time never expires here, as before the controller existed.
      if (Number.isNaN(expiresAt)) return;
      const now = clock.now();
      if (now < expiresAt) return { requeueAfterMs: expiresAt - now };
      try {
        client.resource('events').delete(namespace, name, { preconditions: { resourceVersion: ev.metadata?.resourceVersion } });
      } catch (err) {
        // Gone already, or changed: the informer brings the change and the key back.
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'event-ttl', queue, reconcile, log });
  },
};
