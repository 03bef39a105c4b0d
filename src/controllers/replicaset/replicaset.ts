/**
 * replicaset — keeps each apps/v1 ReplicaSet's number of active pods at
 * spec.replicas, as kube-controller-manager's ReplicaSet controller does
 * (pkg/controller/replicaset): pods from the template named `<rs>-xxxxx`
 * with a controller ownerReference, adoption of matching orphans and
 * release of pods that stop matching, scale down in deletion-rank order,
 * and the status (replicas, fullyLabeled, ready, available, observed
 * generation, ReplicaFailure). Events as `replicaset-controller`.
 *
 * Files: sync.ts (one reconcile), active-pods.ts (which pods count, which
 * go first), status.ts, slow-start.ts, uid-expectations.ts; the toolkit's
 * controller-ref.ts and pod-template.ts do claims and pod writes.
 *
 * Loops: the ReplicaSet and pod informers' handlers only enqueue set keys
 * (and record observed creates and deletes in the expectations); five
 * workers reconcile them. A pod turning ready under a set with
 * minReadySeconds enqueues the set again after minReadySeconds + 1 s, and a
 * reconcile asks to run again when a ready pod becomes available.
 *
 * State: the expectations, in memory. After a restart every set is
 * reconciled from the caches, which then are the whole truth: no pod is
 * created twice. A deleted set's pods are left to the garbage collector.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { controllerRefOf, resolveControllerRef, routeOwnedUpdate } from '../controller-ref.ts';
import { selectorFromLabelSelector } from '../label-selector.ts';
import { objectKey } from '../object-key.ts';
import { PodControl } from '../pod-template.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { isPodReady } from '../pod-readiness.ts';
import { replicaSetKind, ReplicaSetSync } from './sync.ts';
import { UidTrackingExpectations } from './uid-expectations.ts';

/** ConcurrentRSSyncs' default. */
const workers = 5;

export const replicaSetController: ControllerDefinition = {
  name: 'replicaset',
  create({ client, informers, clock, log }) {
    const rsInformer = informers.forResource('replicasets');
    const podInformer = informers.forResource('pods');
    const queue = new RateLimitingQueue(clock);
    const expectations = new UidTrackingExpectations(clock);
    const recorder = new EventRecorder(client.events, { component: 'replicaset-controller' }, () => clock.now(), log);
    const rsLister = rsInformer.lister;

    const ownerOf = (pod: Pod, ref = controllerRefOf(pod)) =>
      resolveControllerRef(ref, replicaSetKind, (name) => rsLister.get(pod.metadata?.namespace, name));

    /** GetPodReplicaSets: the sets in the pod's namespace whose non-empty selector matches it. */
    const setsSelecting = (pod: Pod): ReplicaSet[] =>
      rsLister.listInNamespace(pod.metadata?.namespace ?? '').filter((rs) => {
        try {
          const sel = selectorFromLabelSelector(rs.spec?.selector);
          return !sel.empty && sel.matches(pod.metadata?.labels);
        } catch {
          return false;
        }
      });

    const podGone = (pod: Pod) => {
      const rs = ownerOf(pod);
      if (!rs) return;
      const key = objectKey(rs);
      expectations.deletionObserved(key, objectKey(pod));
      queue.add(key);
    };

    rsInformer.addEventHandler({
      add: (rs) => queue.add(objectKey(rs)),
      update: (old, rs) => {
        // Deleted and created again between two events: the old one's expectations go.
        if (old.metadata?.uid !== rs.metadata?.uid) expectations.delete(objectKey(old));
        queue.add(objectKey(rs));
      },
      delete: (rs) => {
        expectations.delete(objectKey(rs));
        queue.add(objectKey(rs));
      },
    });

    podInformer.addEventHandler({
      add: (pod) => {
        // Seen first already going (e.g. at a restart): not a creation to count.
        if (pod.metadata?.deletionTimestamp) return podGone(pod);
        const ref = controllerRefOf(pod);
        if (ref) {
          const rs = ownerOf(pod, ref);
          if (!rs) return;
          expectations.creationObserved(objectKey(rs));
          queue.add(objectKey(rs));
          return;
        }
        for (const rs of setsSelecting(pod)) queue.add(objectKey(rs));
      },
      update: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        const labelsChanged = !sameJson(old.metadata?.labels, pod.metadata?.labels);
        if (pod.metadata?.deletionTimestamp) {
          podGone(pod);
          if (labelsChanged) podGone(old);
          return;
        }
        routeOwnedUpdate<ReplicaSet, Pod>(old, pod, {
          owner: (p) => ownerOf(p),
          selecting: setsSelecting,
          enqueue: (rs) => queue.add(objectKey(rs)),
          owned: (rs) => {
            const minReady = rs.spec?.minReadySeconds ?? 0;
            // A second more, against timestamps rounded to the second.
            if (!isPodReady(old) && isPodReady(pod) && minReady > 0) queue.addAfter(objectKey(rs), (minReady + 1) * 1000);
          },
        });
      },
      delete: (pod) => {
        // No controller waits on an orphan.
        if (controllerRefOf(pod)) podGone(pod);
      },
    });

    const sync = new ReplicaSetSync({
      replicaSets: rsLister,
      pods: podInformer.lister,
      client,
      podControl: new PodControl({ pods: client.resource('pods'), recorder }),
      expectations,
      clock,
      log,
    });
    return new QueueController({ name: 'replicaset', queue, reconcile: (key) => sync.sync(key), workers, log });
  },
};

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
