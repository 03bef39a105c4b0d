/**
 * namespace — the namespace controller's deletion half, as in
 * kube-controller-manager (pkg/controller/namespace): empties a
 * Terminating namespace (namespaced-content-deleter.ts) and then removes its
 * `kubernetes` spec finalizer through namespaces/finalize, after which
 * storage deletes it.
 *
 * Queued: every namespace with a deletionTimestamp, when it appears or
 * changes, and the namespace of every pod deleted while it terminates (the
 * kubelet's final delete of the last pod finalizes it at once instead of at
 * the next estimate). Unlike kube-controller-manager, no 5 s wait before the
 * first pass: that delay lets other API servers and etcd members catch up,
 * and berth has one of each.
 *
 * Reconcile of a namespace key: not terminating, or finalized already →
 * nothing; content left → look again after half its estimate plus a
 * second; empty → finalize. Failures retry with backoff from 5 ms up to
 * 60 s (the namespace controller's own limiter: retried at least every
 * minute).
 *
 * State: none. On start every terminating namespace is reconciled.
 */
import type { Namespace, Pod } from '../../api/api.ts';
import { ApiError } from '../../api/api.ts';
import type { Clock } from '../../clock/clock.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey } from '../object-key.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type RateLimiter } from '../rate-limiter.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { deleteNamespaceContent } from './namespaced-content-deleter.ts';

/** The finalizer this controller owns in spec.finalizers. */
export const kubernetesFinalizer = 'kubernetes';

/** nsControllerRateLimiter: 5 ms doubling to 60 s per namespace, 10/s burst 100 overall. */
export function namespaceRateLimiter(clock: Clock): RateLimiter<string> {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(5, 60_000), new BucketRateLimiter(10, 100, clock));
}

export const namespaceController: ControllerDefinition = {
  name: 'namespace',
  create({ client, informers, clock, log }) {
    const namespaces = informers.forResource('namespaces');
    const pods = informers.forResource('pods');
    const queue = new RateLimitingQueue(clock, namespaceRateLimiter(clock));
    const enqueue = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) queue.add(objectKey(ns));
    };
    namespaces.addEventHandler({ add: enqueue, update: (_old, ns) => enqueue(ns) });
    pods.addEventHandler({
      delete: (pod: Pod) => {
        const ns = namespaces.lister.get(undefined, pod.metadata?.namespace ?? '');
        if (ns) enqueue(ns);
      },
    });

    const reconcile = (name: string): ReconcileResult | void => {
      const ns = namespaces.lister.get(undefined, name);
      const deletionTimestamp = ns?.metadata?.deletionTimestamp;
      if (!ns || !deletionTimestamp) return;
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(kubernetesFinalizer)) return;
      const estimate = deleteNamespaceContent(client, name, Date.parse(deletionTimestamp), clock.now());
      if (estimate > 0) return { requeueAfterMs: (Math.floor(estimate / 2) + 1) * 1000 };
      try {
        client.namespaces.finalize({ ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== kubernetesFinalizer) } });
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        throw err;
      }
    };
    return new QueueController({ name: 'namespace', queue, reconcile, log });
  },
};
