/**
 * endpointslice — keeps each selector Service's EndpointSlices equal to the
 * pods it selects, as kube-controller-manager's EndpointSlice controller
 * does (pkg/controller/endpointslice): slices named `<service>-<random>`,
 * labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/
 * managed-by: endpointslice-controller.k8s.io`, owned by the Service
 * (controller and blockOwnerDeletion), one per port set and 100 endpoints;
 * a Service with no endpoints keeps one empty placeholder slice. The desired
 * contents come from desired-slices.ts; this file owns matching them to the
 * existing slices and the writes (update in place, create what is missing,
 * delete what is left over).
 *
 * Slices not labelled as this controller's are never touched. Keys are
 * Services; a deleted Service's slices are deleted here (its owner
 * references would do it once a garbage collector runs).
 *
 * State: none of its own; every Service is reconciled at start.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerClient, ResourceClient } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { enqueueServicesOfPods, headlessLabel, isHeadless, selects } from '../service-pods.ts';
import { controllerName, desiredSlices, managedByLabel, serviceNameLabel, type DesiredSlice } from './desired-slices.ts';

function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  labels[serviceNameLabel] = svc.metadata?.name ?? '';
  labels[managedByLabel] = controllerName;
  if (isHeadless(svc)) labels[headlessLabel] = '';
  return labels;
}

function sliceFor(svc: Service, want: DesiredSlice, current: EndpointSlice | undefined): EndpointSlice {
  const name = svc.metadata?.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...(current ? { name: current.metadata?.name, resourceVersion: current.metadata?.resourceVersion } : { generateName: `${name}-` }),
      namespace: svc.metadata?.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: want.endpoints,
    ports: want.ports,
  };
}

/** Whether `current` already holds what `next` would write (the fields this controller owns). */
function sameSlice(current: EndpointSlice, next: EndpointSlice): boolean {
  return (
    isDeepStrictEqual(current.endpoints ?? [], next.endpoints) &&
    isDeepStrictEqual(current.ports ?? [], next.ports) &&
    isDeepStrictEqual(current.metadata?.labels ?? {}, next.metadata?.labels) &&
    isDeepStrictEqual(current.metadata?.ownerReferences ?? [], next.metadata?.ownerReferences)
  );
}

function ignoreGone(err: unknown): void {
  if (!(err instanceof ApiError && err.code === 404)) throw err;
}

/** The client of discovery.k8s.io/v1 EndpointSlices, which every reader and writer of slices looks up the same way. */
export function endpointSlicesClient(client: ControllerClient): ResourceClient<EndpointSlice> {
  const found = client.resources().find((r) => r.description.group === 'discovery.k8s.io' && r.description.resource === 'endpointslices');
  if (!found) throw new Error('the API serves no discovery.k8s.io/v1 endpointslices');
  return found as ResourceClient<EndpointSlice>;
}

export const endpointSliceController: ControllerDefinition = {
  name: 'endpointslice',
  create({ client, informers, clock, log }) {
    const slicesClient = endpointSlicesClient(client);
    const services = informers.forResource('services');
    const pods = informers.forResource('pods');
    const slices = informers.informerFor(slicesClient);
    const queue = new RateLimitingQueue(clock);
    const enqueue = (o: { metadata?: { namespace?: string; name?: string } }) => queue.add(objectKey(o));
    services.addEventHandler({ add: enqueue, update: (_old, svc) => enqueue(svc), delete: enqueue });
    enqueueServicesOfPods(pods, services, (k) => queue.add(k));
    // A slice changed or deleted by someone else brings its Service back.
    const bySlice = (s: EndpointSlice) => {
      const svcName = s.metadata?.labels?.[serviceNameLabel];
      if (svcName && s.metadata?.labels?.[managedByLabel] === controllerName) queue.add(objectKey({ metadata: { namespace: s.metadata?.namespace, name: svcName } }));
    };
    slices.addEventHandler({ update: (_old, s) => bySlice(s), delete: bySlice });

    const reconcile = (key: string): void => {
      const { namespace, name } = splitKey(key);
      const ns = namespace ?? '';
      const svc = services.lister.get(ns, name);
      const owned = slices.lister
        .listInNamespace(ns)
        .filter((s) => s.metadata?.labels?.[serviceNameLabel] === name && s.metadata?.labels?.[managedByLabel] === controllerName)
        .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
      const remove = (s: EndpointSlice) => {
        try {
          slicesClient.delete(ns, s.metadata?.name ?? '');
        } catch (err) {
          ignoreGone(err);
        }
      };
      if (!svc || !svc.spec?.selector) {
        for (const s of owned) remove(s);
        return;
      }
      const pods_ = pods.lister.listInNamespace(ns);
      let desired = desiredSlices(svc, pods_, (p) => selects(svc, p));
      // A Service with no endpoints keeps one placeholder slice, as the reconciler does.
      if (desired.length === 0) desired = [{ endpoints: [], ports: [] }];
      desired.forEach((want, i) => {
        const current = owned[i];
        const next = sliceFor(svc, want, current);
        if (!current) slicesClient.create(ns, next);
        else if (!sameSlice(current, next)) slicesClient.update(ns, next);
      });
      for (const s of owned.slice(desired.length)) remove(s);
    };
    return new QueueController({ name: 'endpointslice', queue, reconcile, log });
  },
};
