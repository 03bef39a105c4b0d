/**
 * deployment — rolls Deployments out onto ReplicaSets, as
 * kube-controller-manager's deployment controller does
 * (pkg/controller/deployment): one ReplicaSet per pod template, named
 * `<deployment>-<pod-template-hash>`; RollingUpdate within maxSurge and
 * maxUnavailable, or Recreate; proportional scaling mid-rollout; revisions,
 * rollback to an old template by reusing its ReplicaSet, the
 * revisionHistoryLimit; the progress deadline with the Progressing and
 * Available conditions; pause and resume; the Deployment's status.
 *
 * Files: deployment-spec.ts (the spec with defaults, fenceposts),
 * pod-template-hash.ts, replica-sets.ts (reads of ReplicaSets),
 * annotations.ts (revision and replicas annotations), conditions.ts,
 * status.ts, rolling-plan.ts, scale-plan.ts and cleanup-plan.ts (pure
 * planners), sync.ts (the executor of one sync's writes), rollouts.ts (the
 * paths a sync takes). This file: informers, handlers, and syncDeployment.
 *
 * Keys are Deployments (`ns/name`). A Deployment is enqueued when it changes,
 * when a ReplicaSet it controls (or, for an orphan, may adopt) changes, and
 * for Recreate when the last pod of its ReplicaSets is deleted. ReplicaSets
 * are claimed by selector through controller-ref.ts (adoption, release).
 *
 * State: none of its own; every Deployment is reconciled at start, and the
 * revisions live in the ReplicaSets' annotations, so a restart mid-rollout
 * goes on from the store. Timers: a requeue at the progress deadline.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type ApiObject } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { ControllerRefManager, controllerRefOf, recheckOwner, resolveControllerRef, routeOwnedUpdate } from '../controller-ref.ts';
import { selectorFromLabelSelector } from '../label-selector.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import type { SharedInformer } from '../shared-informer.ts';
import { strategyType } from './deployment-spec.ts';
import { isScalingEvent, rollback, rollbackTo, rolloutRecreate, rolloutRolling, syncScaling, syncStatusOnly } from './rollouts.ts';
import { DeploymentSync, deploymentKind, isNamespaceTerminating } from './sync.ts';

export const deploymentControllerName = 'deployment-controller';

/** getDeploymentsForReplicaSet: the Deployments of the namespace whose (non-empty) selector matches an orphan's labels. */
function deploymentsSelecting(deployments: SharedInformer<Deployment>, rs: ReplicaSet): Deployment[] {
  if (Object.keys(rs.metadata?.labels ?? {}).length === 0) return [];
  return deployments.lister.listInNamespace(rs.metadata?.namespace ?? '').filter((d) => {
    try {
      const sel = selectorFromLabelSelector(d.spec?.selector);
      return !sel.empty && sel.matches(rs.metadata?.labels);
    } catch {
      return false;
    }
  });
}

export const deploymentController: ControllerDefinition = {
  name: 'deployment',
  create({ client, informers, clock, log }) {
    const deployments = informers.forResource('deployments');
    const replicaSets = informers.forResource('replicasets');
    const pods = informers.forResource('pods');
    const queue = new RateLimitingQueue(clock);
    const recorder = new EventRecorder(client.events, { component: deploymentControllerName }, () => clock.now(), log);
    const enqueue = (d: Deployment) => queue.add(objectKey(d));
    const ownerOf = (obj: ApiObject) =>
      resolveControllerRef(controllerRefOf(obj), deploymentKind, (name) => deployments.lister.get(obj.metadata?.namespace ?? '', name));

    deployments.addEventHandler({ add: enqueue, update: (_old, d) => enqueue(d), delete: enqueue });

    const rsDeleted = (rs: ReplicaSet) => {
      const d = ownerOf(rs);
      if (d) enqueue(d);
    };
    replicaSets.addEventHandler({
      add(rs) {
        if (rs.metadata?.deletionTimestamp) return rsDeleted(rs);
        const d = ownerOf(rs);
        if (controllerRefOf(rs)) {
          if (d) enqueue(d);
          return;
        }
        for (const candidate of deploymentsSelecting(deployments, rs)) enqueue(candidate);
      },
      update(old, cur) {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        routeOwnedUpdate<Deployment, ReplicaSet>(old, cur, { owner: ownerOf, selecting: (rs) => deploymentsSelecting(deployments, rs), enqueue });
      },
      delete: rsDeleted,
    });

    // Recreate waits for the old pods to be gone: the last one's deletion is its cue.
    pods.addEventHandler({
      delete(pod) {
        const ref = controllerRefOf(pod);
        if (!ref || ref.kind !== 'ReplicaSet') return;
        const rs = replicaSets.lister.get(pod.metadata?.namespace ?? '', ref.name);
        if (!rs || rs.metadata?.uid !== ref.uid) return;
        const d = ownerOf(rs);
        if (!d || strategyType(d) !== 'Recreate') return;
        const rsUids = new Set(replicaSets.lister.listByController(d.metadata?.uid ?? '').map((r) => r.metadata?.uid));
        const left = pods.lister.listInNamespace(d.metadata?.namespace ?? '').filter((p) => rsUids.has(controllerRefOf(p)?.uid));
        if (left.length === 0) enqueue(d);
      },
    });

    const reconcile = (key: string) => {
      const { namespace, name } = splitKey(key);
      const cached = deployments.lister.get(namespace, name);
      if (!cached) return;
      const sync = new DeploymentSync(
        { client, recorder, now: () => clock.now(), getReplicaSet: (ns, n) => replicaSets.lister.get(ns, n) },
        cached,
      );
      const d = sync.d;
      try {
        if (d.spec?.selector && Object.keys(d.spec.selector).length === 0) {
          sync.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
          if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
            d.status = { ...d.status, observedGeneration: d.metadata?.generation };
            sync.updateStatus();
          }
          return;
        }
        const ns = d.metadata?.namespace ?? '';
        let selector;
        try {
          selector = selectorFromLabelSelector(d.spec?.selector);
        } catch (err) {
          throw new Error(`deployment ${ns}/${d.metadata?.name} has invalid label selector: ${err instanceof Error ? err.message : String(err)}`);
        }
        const manager = new ControllerRefManager<Deployment, ReplicaSet>({
          owner: d,
          ownerKind: deploymentKind,
          selector,
          client: client.resource('replicasets'),
          canAdopt: recheckOwner(client.resource('deployments'), d, 'Deployment'),
        });
        const rsList = manager.claimOrThrow(replicaSets.lister.listInNamespace(ns));
        if (d.metadata?.deletionTimestamp) return syncStatusOnly(sync, rsList);
        sync.checkPausedConditions();
        if (d.spec?.paused) return syncScaling(sync, rsList);
        if (rollbackTo(d) !== undefined) return rollback(sync, rsList);
        if (isScalingEvent(sync, rsList)) return syncScaling(sync, rsList);
        if (strategyType(d) === 'Recreate') {
          const byRS = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata?.uid ?? '', []]));
          for (const pod of pods.lister.listInNamespace(ns, selector)) byRS.get(controllerRefOf(pod)?.uid ?? '')?.push(pod);
          rolloutRecreate(sync, rsList, byRS);
        } else {
          rolloutRolling(sync, rsList);
        }
        return sync.requeueAfterMs === undefined ? undefined : { requeueAfterMs: sync.requeueAfterMs };
      } catch (err) {
        // Nothing can be created in a terminating namespace: not an error to retry.
        if (isNamespaceTerminating(err)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'deployment', queue, reconcile, log });
  },
};
