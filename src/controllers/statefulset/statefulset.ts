/**
 * statefulset — runs the pods of each StatefulSet with stable identities,
 * as kube-controller-manager's StatefulSet controller does
 * (pkg/controller/statefulset: stateful_set.go, stateful_set_control.go,
 * stateful_pod_control.go, stateful_set_utils.go; v1.33).
 *
 * Owns: the informer wiring, the sync of a StatefulSet key and its writes
 * (pods, PersistentVolumeClaims, ControllerRevisions, status, events from
 * `statefulset-controller`). The decisions are pure: identity.ts (what a
 * pod of the set is), plan.ts (what one sync does), retention.ts (claim
 * owner references); revisions.ts keeps the history on the history
 * toolkit; pod-control.ts writes pods and claims with upstream's events.
 *
 * A sync of `ns/name`: adopt orphan revisions the selector matches; claim
 * the pods (selector and name `<set>-<ordinal>`: adopt orphans, release
 * those that stopped matching); find or create the update revision; plan;
 * run the planned writes (OrderedReady stops at the first error,
 * Parallel runs each phase in slow-start batches); write the status when
 * it changed (completing a finished rolling update); delete revisions
 * beyond revisionHistoryLimit. The controller creates claims and points
 * the pods' volumes at them; binding them is the volume binder's.
 *
 * State: none beyond the informers' caches; after a restart every set is
 * synced from the store and its pods are found by name, so none is created
 * twice. Timers: a requeue after minReadySeconds while pods are not yet
 * available.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { aggregate, ControllerRefManager, controllerRefOf, recheckOwner, resolveControllerRef, routeOwnedUpdate } from '../controller-ref.ts';
import { listControllerRevisions, sortControllerRevisions } from '../history/history.ts';
import { selectorFromLabelSelector, type Selector } from '../label-selector.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { isMemberOf, statefulSetKind } from './identity.ts';
import { isPodReady } from '../pod-readiness.ts';
import { completeRollingUpdate, inconsistentStatus, planSync, type Step } from './plan.ts';
import { StatefulPodControl } from './pod-control.ts';
import { applyRevision, getStatefulSetRevisions, revisionsToTruncate } from './revisions.ts';

export const statefulSetControllerComponent = 'statefulset-controller';

/** MaxBatchSize of slowStartBatch. */
const maxBatchSize = 500;

function errorOf(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** slowStartBatch: 1, 2, 4, … writes at a time; stops after a batch with errors. */
function slowStart(steps: readonly Step[], run: (s: Step) => void): void {
  let pos = 0;
  for (let size = Math.min(1, steps.length); size > 0; size = Math.min(2 * size, steps.length - pos, maxBatchSize)) {
    const errs: Error[] = [];
    for (const s of steps.slice(pos, pos + size)) {
      try {
        run(s);
      } catch (err) {
        errs.push(errorOf(err));
      }
    }
    pos += size;
    if (errs.length > 0) throw aggregate(errs);
  }
}

/** The status as Go encodes StatefulSetStatus: its omitempty fields left out at their zero values. */
function goStatus(status: StatefulSetStatus): StatefulSetStatus {
  const out: Record<string, unknown> = { ...status };
  for (const k of ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision'] as const) {
    if (out[k] === 0 || out[k] === '' || out[k] === undefined) delete out[k];
  }
  return out as unknown as StatefulSetStatus;
}

export const statefulSetController: ControllerDefinition = {
  name: 'statefulset',
  create({ client, informers, clock, log }) {
    const sets = informers.forResource('statefulsets');
    const pods = informers.forResource('pods');
    const revisionsInformer = informers.forResource('controllerrevisions');
    const claims = informers.forResource('persistentvolumeclaims');
    const queue = new RateLimitingQueue(clock);
    const recorder = new EventRecorder(client.events, { component: statefulSetControllerComponent }, () => clock.now(), log);
    const podClient = client.resource('pods');
    const setClient = client.resource('statefulsets');
    const revisionClient = client.resource('controllerrevisions');
    const control = new StatefulPodControl({ pods: podClient, claims: client.resource('persistentvolumeclaims'), recorder });

    const enqueue = (set: StatefulSet) => queue.add(objectKey(set));
    const resolve = (pod: Pod) => resolveControllerRef(controllerRefOf(pod), statefulSetKind, (name) => sets.lister.get(pod.metadata?.namespace, name));
    /** getPodStatefulSets: the sets of the pod's namespace whose selector matches it. */
    const selecting = (pod: Pod): StatefulSet[] =>
      sets.lister.listInNamespace(pod.metadata?.namespace ?? '').filter((set) => {
        try {
          const s = selectorFromLabelSelector(set.spec?.selector);
          return !s.empty && s.matches(pod.metadata?.labels);
        } catch {
          return false;
        }
      });

    sets.addEventHandler({ add: enqueue, update: (_old, cur) => enqueue(cur), delete: enqueue });

    const podChanged = (pod: Pod) => {
      const set = resolve(pod);
      if (set) enqueue(set);
    };
    pods.addEventHandler({
      add: (pod) => {
        if (pod.metadata?.deletionTimestamp) return podChanged(pod);
        if (controllerRefOf(pod)) return podChanged(pod);
        for (const set of selecting(pod)) enqueue(set);
      },
      update: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        routeOwnedUpdate(old, cur, {
          owner: resolve,
          selecting,
          enqueue,
          owned: (set) => {
            const minReadySeconds = set.spec?.minReadySeconds ?? 0;
            // A second more than minReadySeconds, so the pod is available when the key comes back.
            if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) queue.addAfter(objectKey(set), (minReadySeconds + 1) * 1000);
          },
        });
      },
      delete: podChanged,
    });

    /** adoptOrphanRevisions: the selector's orphan revisions become the set's. */
    const adoptOrphanRevisions = (set: StatefulSet, selector: Selector): void => {
      const orphans = listControllerRevisions(revisionsInformer.lister.listInNamespace(set.metadata?.namespace ?? ''), set, selector).filter((r) => !controllerRefOf(r));
      if (orphans.length === 0) return;
      const canAdopt = recheckOwner(setClient, set, 'StatefulSet');
      try {
        canAdopt();
      } catch (err) {
        throw new Error(`can't adopt ControllerRevisions: ${errorOf(err).message}`);
      }
      new ControllerRefManager<StatefulSet, ControllerRevision>({ owner: set, ownerKind: statefulSetKind, selector, client: revisionClient }).claimOrThrow(orphans);
    };

    /** getPodsForStatefulSet: claimed pods whose names make them members. */
    const podsOf = (set: StatefulSet, selector: Selector): Pod[] =>
      new ControllerRefManager<StatefulSet, Pod>({
        owner: set,
        ownerKind: statefulSetKind,
        selector,
        client: podClient,
        canAdopt: recheckOwner(setClient, set, 'StatefulSet'),
      }).claimOrThrow(pods.lister.listInNamespace(set.metadata?.namespace ?? ''), [(p) => isMemberOf(set, p)]);

    const runStep = (set: StatefulSet, updateSet: StatefulSet) => (step: Step) => {
      switch (step.op) {
        case 'createPod':
          return control.createStatefulPod(set, step.pod);
        case 'deletePod':
          return control.deleteStatefulPod(set, step.pod);
        case 'createMissingClaims':
          return control.createMissingClaims(set, step.pod);
        case 'updatePod':
          return control.updateStatefulPod(updateSet, step.pod);
        case 'fixClaims':
          return control.updatePodClaimsForRetentionPolicy(updateSet, step.pod);
      }
    };

    /** updateStatefulSetStatus's write: one retry on a fresh read after a failure. */
    const writeStatus = (set: StatefulSet, computed: StatefulSetStatus): void => {
      const ns = set.metadata?.namespace;
      const status = goStatus(computed);
      let toUpdate = set;
      for (let i = 0; ; i++) {
        try {
          setClient.updateStatus(ns, { ...toUpdate, status });
          return;
        } catch (err) {
          if (i >= 1) throw err;
          const fresh = setClient.get(ns, set.metadata?.name ?? '');
          if (!fresh) throw err;
          toUpdate = fresh;
        }
      }
    };

    const reconcile = (key: string): ReconcileResult | void => {
      const { namespace = '', name } = splitKey(key);
      const set = sets.lister.get(namespace, name);
      if (!set) return;
      let selector: Selector;
      try {
        selector = selectorFromLabelSelector(set.spec?.selector);
      } catch (err) {
        // A non-transient error: not retried.
        log(`statefulset: error converting StatefulSet ${key} selector: ${errorOf(err).message}`);
        return;
      }
      adoptOrphanRevisions(set, selector);
      const setPods = podsOf(set, selector);

      const revisions = sortControllerRevisions(listControllerRevisions(revisionsInformer.lister.listInNamespace(namespace), set, selector));
      let current: ControllerRevision | undefined;
      let update: ControllerRevision | undefined;
      let status: StatefulSetStatus | undefined;
      const errs: Error[] = [];
      try {
        const revs = getStatefulSetRevisions(revisionClient, set, revisions);
        current = revs.current;
        update = revs.update;
        const updateSet = applyRevision(set, update);
        const plan = planSync({
          set,
          currentSet: applyRevision(set, current),
          updateSet,
          current,
          update,
          collisionCount: revs.collisionCount,
          pods: setPods,
          claim: (ns, n) => claims.lister.get(ns, n),
          now: clock.now(),
        });
        status = plan.status;
        const run = runStep(set, updateSet);
        try {
          for (const phase of plan.phases) {
            if (plan.monotonic) for (const step of phase) run(step);
            else slowStart(phase, run);
          }
        } catch (err) {
          errs.push(errorOf(err));
        }
        const final = completeRollingUpdate(set, status);
        status = final;
        if (inconsistentStatus(set, final)) {
          try {
            writeStatus(set, final);
          } catch (err) {
            errs.push(errorOf(err));
          }
        }
      } catch (err) {
        errs.push(errorOf(err));
      }
      // truncateHistory, after success or failure alike.
      for (const r of revisionsToTruncate(set, setPods, revisions, current, update)) {
        try {
          revisionClient.delete(namespace, r.metadata?.name ?? '');
        } catch (err) {
          errs.push(errorOf(err));
          break;
        }
      }
      if (errs.length > 0) throw aggregate(errs);
      const minReadySeconds = set.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && status && (status.availableReplicas ?? 0) !== (set.spec?.replicas ?? 1)) return { requeueAfterMs: minReadySeconds * 1000 };
    };
    return new QueueController({ name: 'statefulset', queue, reconcile, log });
  },
};
