/**
 * controllers — berth's controller manager: the cluster-side loops that
 * kube-controller-manager and kube-scheduler run, in the `berth serve`
 * process, on a small client-go-like toolkit.
 *
 * Owns: the table of controllers below, the toolkit, and one folder per
 * controller. Does not own: API state (the registry's, reached only through
 * the client, src/client) or the node agent (src/kubelet). Controllers talk
 * to the registry only through the client and informers, never to each
 * other, and a controller folder imports only the toolkit, client/ and api/.
 *
 * State: none that outlives the process. Informer caches, queues and
 * expectations are in memory and rebuilt from the store at every start;
 * each controller then reconciles every key (level-triggered), so a
 * `kill -9` loses nothing.
 *
 * Loops and timers, all on the injected Clock (src/clock, with its FakeClock): each informer's watch (no
 * timer; its retry backoff and a resync every ten minutes), each
 * controller's workers (awaiting their queue), delayed requeues.
 *
 * The toolkit, one concept a file (each with its test):
 *   reflector.ts                  list + watch, resume, relist on 410 Expired
 *   shared-informer.ts            cache + handlers + resync + hasSynced
 *   informer-factory.ts           one informer per resource, shared
 *   indexer.ts, lister.ts         indexed cache (namespace, controller UID); reads
 *   label-selector.ts             metav1.LabelSelector matching (from api/)
 *   object-key.ts                 `namespace/name` keys
 *   work-queue.ts                 dedupe, one worker per key, re-add while processing
 *   delaying-queue.ts             addAfter
 *   rate-limiter.ts               client-go's limiters (5 ms → 1000 s per key, 10/s overall)
 *   rate-limiting-queue.ts        addRateLimited, forget
 *   expectations.ts               ControllerExpectations (5-minute TTL)
 *   controller-ref.ts             claiming by selector: adopt orphans, release what stops matching
 *   pod-template.ts               pods from a controller's template, created and deleted with its events
 *   service-pods.ts               a Service's pods for the endpoints and endpointslice controllers
 *   volume-claims.ts              claim and volume classes, binding annotations, the claims a pod uses
 *   queue-controller.ts           the worker loop around a reconcile function
 *   controller.ts                 what a controller is to the manager
 *   controller-manager.ts         start after sync, table order; stop in reverse
 *   controller-fixture.ts         tests: registry + client + FakeClock
 *
 * How to add a controller (event-ttl/event-ttl.ts is the smallest example):
 *   1. A folder `controllers/<name>/` with its owner file `<name>.ts`
 *      exporting a ControllerDefinition. Its `create(ctx)` asks
 *      `ctx.informers.forResource(...)` for what it reads, adds handlers that
 *      only enqueue keys (`queue.add(objectKey(obj))`), and returns
 *      `new QueueController({ name, queue, reconcile, log })`.
 *   2. The reconcile function takes a key, reads the listers (never the
 *      API, except a final check that must be exact), writes through
 *      `ctx.client`, and is level-triggered: it looks at the state now.
 *      Throw to retry with backoff; return `{ requeueAfterMs }` for
 *      conditions that change with time. Time comes from `ctx.clock`.
 *   3. One line in the table below. Tests beside it use
 *      controller-fixture.ts: real registry, FakeClock, no sleeping; one of
 *      them restarts the controller and checks the state is rebuilt.
 */
import type { ControllerDefinition } from './controller.ts';
import { clusterRoleAggregationController } from './clusterrole-aggregation/clusterrole-aggregation.ts';
import { cronJobController } from './cronjob/cronjob.ts';
import { daemonSetController } from './daemonset/daemonset.ts';
import { deploymentController } from './deployment/deployment.ts';
import { endpointsController } from './endpoints/endpoints.ts';
import { endpointSliceController } from './endpointslice/endpointslice.ts';
import { ephemeralVolumeController } from './ephemeral-volume/ephemeral-volume.ts';
import { eventTtlController } from './event-ttl/event-ttl.ts';
import { garbageCollectorController } from './garbage-collector/garbage-collector.ts';
import { jobController } from './job/job.ts';
import { localPathController } from './local-path/local-path.ts';
import { namespaceController } from './namespace/namespace.ts';
import { persistentVolumeController } from './persistentvolume/persistentvolume.ts';
import { pvProtectionController } from './pv-protection/pv-protection.ts';
import { pvcProtectionController } from './pvc-protection/pvc-protection.ts';
import { replicaSetController } from './replicaset/replicaset.ts';
import { rootCAPublisherController } from './root-ca-publisher/root-ca-publisher.ts';
import { schedulerController } from './scheduler/scheduler.ts';
import { serviceAccountController } from './serviceaccount/serviceaccount.ts';
import { statefulSetController } from './statefulset/statefulset.ts';
import { ttlAfterFinishedController } from './ttl-after-finished/ttl-after-finished.ts';

export { ControllerManager } from './controller-manager.ts';
export type { ControllerManagerOptions } from './controller-manager.ts';
export type { Controller, ControllerContext, ControllerDefinition } from './controller.ts';

/** Every controller berth runs, in start order (stopped in reverse). */
export const controllers: readonly ControllerDefinition[] = [
  schedulerController,
  namespaceController,
  serviceAccountController,
  rootCAPublisherController,
  eventTtlController,
  endpointsController,
  endpointSliceController,
  garbageCollectorController,
  replicaSetController,
  jobController,
  ttlAfterFinishedController,
  cronJobController,
  deploymentController,
  daemonSetController,
  statefulSetController,
  persistentVolumeController,
  localPathController,
  pvcProtectionController,
  pvProtectionController,
  ephemeralVolumeController,
  clusterRoleAggregationController,
];
