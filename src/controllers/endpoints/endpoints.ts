/**
 * endpoints — keeps each selector Service's Endpoints object equal to the
 * pods it selects, as kube-controller-manager's endpoint controller does
 * (pkg/controller/endpoint). The desired subsets come from
 * desired-endpoints.ts; this file owns the informer wiring and the writes.
 *
 * Keys are Services (`ns/name`). A Service is enqueued when it changes, when
 * a pod it selects (before or after the change) changes, and when its
 * Endpoints object is deleted by someone else. Services without a selector
 * are left alone: their Endpoints are the user's (or, for `kubernetes` and
 * `kube-dns`, the node's). A deleted Service's Endpoints are deleted.
 *
 * State: none of its own; every Service is reconciled at start.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { enqueueServicesOfPods, selects } from '../service-pods.ts';
import { desiredSubsets, endpointsLabels } from './desired-endpoints.ts';

function ignoreGone(err: unknown): void {
  if (!(err instanceof ApiError && err.code === 404)) throw err;
}

export const endpointsController: ControllerDefinition = {
  name: 'endpoint',
  create({ client, informers, clock, log }) {
    const services = informers.forResource('services');
    const pods = informers.forResource('pods');
    const endpoints = informers.forResource('endpoints');
    const queue = new RateLimitingQueue(clock);
    const enqueue = (o: { metadata?: { namespace?: string; name?: string } }) => queue.add(objectKey(o));
    services.addEventHandler({ add: enqueue, update: (_old, svc) => enqueue(svc), delete: enqueue });
    enqueueServicesOfPods(pods, services, (k) => queue.add(k));
    endpoints.addEventHandler({ delete: enqueue });

    const reconcile = (key: string): void => {
      const { namespace, name } = splitKey(key);
      const ns = namespace ?? '';
      const svc = services.lister.get(ns, name);
      const current = endpoints.lister.get(ns, name);
      if (!svc) {
        if (current) {
          try {
            client.resource('endpoints').delete(ns, name);
          } catch (err) {
            ignoreGone(err);
          }
        }
        return;
      }
      if (!svc.spec?.selector) return;
      const subsets = desiredSubsets(svc, pods.lister.listInNamespace(ns), (p) => selects(svc, p));
      const labels = endpointsLabels(svc);
      if (current && isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata?.labels ?? {}, labels)) return;
      const body: Endpoints = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace: ns, labels, ...(current ? { resourceVersion: current.metadata?.resourceVersion } : {}) },
        subsets,
      };
      // A conflict (someone wrote meanwhile) throws and the key is retried with the newer cache.
      if (current) client.resource('endpoints').update(ns, body);
      else client.resource('endpoints').create(ns, body);
    };
    return new QueueController({ name: 'endpoint', queue, reconcile, log });
  },
};
