/**
 * daemonset — runs one pod of each DaemonSet on berth's node when the
 * DaemonSet fits it, as kube-controller-manager's DaemonSet controller
 * does (pkg/controller/daemon: daemon_controller.go, update.go), its pods
 * bound by berth's scheduler through the node affinity the controller
 * gives them.
 *
 * Owns: the informer wiring, the sync of a DaemonSet key and its writes
 * (pods, ControllerRevisions, status, events from `daemonset-controller`).
 * The decisions are pure: node-fit.ts (NodeShouldRunDaemonPod), plan.ts
 * (manage, rolling update, status counts); daemon-pod.ts says what a daemon
 * pod is; revisions.ts keeps the history on the history toolkit.
 *
 * A sync of `ns/name`: claim the DaemonSet's revisions and find (or create)
 * the current one, whose hash labels new pods; unless earlier creates or
 * deletes are still unobserved (expectations), create the missing pod,
 * delete failed (with back-off), excess or misplaced ones, then roll old
 * pods (RollingUpdate: maxUnavailable deletes first, maxSurge creates
 * first; OnDelete: leave them); delete revisions beyond
 * revisionHistoryLimit; write status. The nodes considered are berth's own
 * node (ctx.nodeName) as the nodes informer has it: berth's scheduler binds
 * every pod to that node, so a pod for any other Node object would land on
 * the wrong one.
 *
 * State: expectations and the failed-pod back-off, in memory; both start
 * empty after a restart and every DaemonSet is synced from the store.
 * Timers: delayed requeues (minReadySeconds, back-off) on ctx.clock.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { aggregate, ControllerRefManager, controllerRefOf, newControllerRef, recheckOwner, resolveControllerRef, routeOwnedUpdate } from '../controller-ref.ts';
import { ControllerExpectations } from '../expectations.ts';
import { selectorFromLabelSelector } from '../label-selector.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { isNamespaceTerminating, ownerEventRef, PodControl } from '../pod-template.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { controllerRevisionHashLabelKey, createPodTemplate, isPodTerminal, replaceNodeNameNodeAffinity, targetNodeName, templateGeneration } from './daemon-pod.ts';
import { Backoff } from './failed-pod-backoff.ts';
import { nodeShouldRunDaemonPod } from './node-fit.ts';
import { isPodReady } from '../pod-readiness.ts';
import { planManage, planRollingUpdate, statusCounts, type DaemonSetCounts, type NodeToDaemonPods } from './plan.ts';
import { cleanupHistory, constructHistory, controlledHistories, daemonSetKind, type HistoryClients } from './revisions.ts';

/** BurstReplicas: creates or deletes in one sync at most. */
const burstReplicas = 250;
/** SlowStartInitialBatchSize. */
const slowStartInitialBatchSize = 1;
/** StatusUpdateRetries. */
const statusUpdateRetries = 1;

export const daemonSetControllerComponent = 'daemonset-controller';

/** nodeInSameCondition: the same set of conditions with status True. */
function sameTrueConditions(a: Node, b: Node): boolean {
  const t = (n: Node) => new Set((n.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type));
  const x = t(a);
  const y = t(b);
  return x.size === y.size && [...x].every((k) => y.has(k));
}

/** shouldIgnoreNodeUpdate: only the resourceVersion or the non-True conditions changed. */
function ignoreNodeUpdate(old: Node, cur: Node): boolean {
  if (!sameTrueConditions(old, cur)) return false;
  const strip = (n: Node) => ({ ...n, metadata: { ...n.metadata, resourceVersion: undefined }, status: { ...n.status, conditions: undefined } });
  return isDeepStrictEqual(strip(old), strip(cur));
}

export const daemonSetController: ControllerDefinition = {
  name: 'daemonset',
  create({ client, informers, clock, nodeName, log }) {
    const daemonSets = informers.forResource('daemonsets');
    const histories = informers.forResource('controllerrevisions');
    const pods = informers.forResource('pods');
    const nodes = informers.forResource('nodes');
    const queue = new RateLimitingQueue(clock);
    const expectations = new ControllerExpectations(clock);
    const backoff = new Backoff(() => clock.now());
    const recorder = new EventRecorder(client.events, { component: daemonSetControllerComponent }, () => clock.now(), log);
    const podClient = client.resource('pods');
    const podControl = new PodControl({ pods: podClient, recorder });
    const clients: HistoryClients = { revisions: client.resource('controllerrevisions'), daemonSets: client.resource('daemonsets'), pods: podClient };

    const enqueue = (ds: DaemonSet) => queue.add(objectKey(ds));
    const owner = (obj: Pod | ControllerRevision) =>
      resolveControllerRef(controllerRefOf(obj), daemonSetKind, (name) => daemonSets.lister.get(obj.metadata?.namespace, name));
    /** GetPodDaemonSets / GetHistoryDaemonSets: DaemonSets of the namespace whose non-empty selector matches. */
    const selecting = (obj: Pod | ControllerRevision): DaemonSet[] =>
      daemonSets.lister.listInNamespace(obj.metadata?.namespace ?? '').filter((ds) => {
        try {
          const s = selectorFromLabelSelector(ds.spec?.selector);
          return !s.empty && s.matches(obj.metadata?.labels);
        } catch {
          return false;
        }
      });

    daemonSets.addEventHandler({
      add: enqueue,
      update: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) expectations.delete(objectKey(old));
        enqueue(cur);
      },
      delete: (ds) => {
        expectations.delete(objectKey(ds));
        enqueue(ds);
      },
    });

    const deleteHistory = (h: ControllerRevision) => {
      const ds = owner(h);
      if (ds) enqueue(ds);
    };
    histories.addEventHandler({
      add: (h) => {
        if (h.metadata?.deletionTimestamp) return deleteHistory(h);
        if (controllerRefOf(h)) return;
        for (const ds of selecting(h)) enqueue(ds);
      },
      update: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        routeOwnedUpdate(old, cur, { owner, selecting, enqueue });
      },
      delete: deleteHistory,
    });

    const deletePod = (pod: Pod) => {
      const ds = owner(pod);
      if (!ds) return;
      expectations.deletionObserved(objectKey(ds));
      enqueue(ds);
    };
    pods.addEventHandler({
      add: (pod) => {
        if (pod.metadata?.deletionTimestamp) return deletePod(pod);
        if (controllerRefOf(pod)) {
          const ds = owner(pod);
          if (!ds) return;
          expectations.creationObserved(objectKey(ds));
          enqueue(ds);
          return;
        }
        for (const ds of selecting(pod)) enqueue(ds);
      },
      update: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        if (cur.metadata?.deletionTimestamp) return deletePod(cur);
        routeOwnedUpdate(old, cur, {
          owner,
          selecting,
          enqueue,
          owned: (ds) => {
            const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
            // A second more than minReadySeconds, so the pod is available when the key comes back.
            if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) queue.addAfter(objectKey(ds), (minReadySeconds + 1) * 1000);
          },
        });
      },
      delete: deletePod,
    });

    nodes.addEventHandler({
      add: (node) => {
        for (const ds of daemonSets.lister.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) enqueue(ds);
      },
      update: (old, cur) => {
        if (ignoreNodeUpdate(old, cur)) return;
        for (const ds of daemonSets.lister.list()) {
          const a = nodeShouldRunDaemonPod(old, ds);
          const b = nodeShouldRunDaemonPod(cur, ds);
          if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) enqueue(ds);
        }
      },
    });

    /** getNodesToDaemonPods: the DaemonSet's pods (claimed) by target node. */
    const nodesToDaemonPods = (ds: DaemonSet, includeDeletedTerminal: boolean): NodeToDaemonPods => {
      const selector = selectorFromLabelSelector(ds.spec?.selector);
      const claimed = new ControllerRefManager({
        owner: ds,
        ownerKind: daemonSetKind,
        selector,
        client: podClient,
        canAdopt: recheckOwner(clients.daemonSets, ds, 'DaemonSet'),
      }).claimOrThrow(pods.lister.listInNamespace(ds.metadata?.namespace ?? ''));
      const byNode: NodeToDaemonPods = new Map();
      for (const pod of claimed) {
        if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
        const target = targetNodeName(pod);
        if (target === undefined) continue;
        byNode.set(target, [...(byNode.get(target) ?? []), pod]);
      }
      return byNode;
    };

    /** syncNodes: deletes, then creates (slow start), under expectations set first. */
    const syncNodes = (ds: DaemonSet, key: string, podsToDelete: readonly string[], nodesNeedingPods: readonly string[], hash: string): void => {
      const ns = ds.metadata?.namespace ?? '';
      const createDiff = Math.min(nodesNeedingPods.length, burstReplicas);
      const deleteDiff = Math.min(podsToDelete.length, burstReplicas);
      expectations.set(key, createDiff, deleteDiff);
      const errs: Error[] = [];
      const template = createPodTemplate(ds.spec?.template, templateGeneration(ds), hash);
      let batch = Math.min(createDiff, slowStartInitialBatchSize);
      for (let pos = 0; pos < createDiff; pos += batch, batch = Math.min(2 * batch, createDiff - pos)) {
        const errorsBefore = errs.length;
        for (let i = pos; i < pos + batch; i++) {
          const podTemplate = structuredClone(template);
          podTemplate.spec!.affinity = replaceNodeNameNodeAffinity(podTemplate.spec!.affinity, nodesNeedingPods[i]);
          try {
            podControl.createPod({ namespace: ns, template: podTemplate, owner: ds, ownerKind: daemonSetKind, controllerRef: newControllerRef(ds, daemonSetKind) });
          } catch (err) {
            if (isNamespaceTerminating(err)) continue;
            expectations.creationObserved(key);
            errs.push(err instanceof Error ? err : new Error(String(err)));
          }
        }
        const skipped = createDiff - (pos + batch);
        if (errs.length > errorsBefore && skipped > 0) {
          expectations.lower(key, skipped, 0);
          break;
        }
      }
      for (const name of podsToDelete.slice(0, deleteDiff)) {
        try {
          podControl.deletePod(ns, name, ds, daemonSetKind);
        } catch (err) {
          expectations.deletionObserved(key);
          if (!(err instanceof ApiError && err.code === 404)) errs.push(err instanceof Error ? err : new Error(String(err)));
        }
      }
      if (errs.length > 0) throw aggregate(errs);
    };

    /** storeDaemonSetStatus: writes when a count changed or the generation is newer; one retry on a fresh read. */
    const storeStatus = (ds: DaemonSet, counts: DaemonSetCounts, updateObservedGen: boolean): void => {
      const s: Partial<NonNullable<DaemonSet['status']>> = ds.status ?? {};
      const same = (Object.keys(counts) as (keyof DaemonSetCounts)[]).every((k) => (s[k] ?? 0) === counts[k]);
      if (same && (s.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0)) return;
      const ns = ds.metadata?.namespace;
      let toUpdate: DaemonSet = ds;
      for (let i = 0; ; i++) {
        const status: DaemonSet['status'] = { ...toUpdate.status, ...counts, ...(updateObservedGen ? { observedGeneration: ds.metadata?.generation } : {}) };
        try {
          clients.daemonSets.updateStatus(ns, { ...toUpdate, status });
          return;
        } catch (err) {
          if (i >= statusUpdateRetries) throw err;
          const fresh = clients.daemonSets.get(ns, ds.metadata?.name ?? '');
          if (!fresh) throw err;
          toUpdate = fresh;
        }
      }
    };

    const reconcile = (key: string): ReconcileResult | void => {
      const { namespace = '', name } = splitKey(key);
      const ds = daemonSets.lister.get(namespace, name);
      if (!ds) {
        expectations.delete(key);
        return;
      }
      const node = nodes.lister.get(undefined, nodeName);
      const nodeList: Node[] = node ? [node] : [];
      if (isDeepStrictEqual(ds.spec?.selector, {})) {
        recorder.record(ownerEventRef(ds, daemonSetKind), 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
        return;
      }
      // A DaemonSet being deleted may have lost its history already: no status can be trusted.
      if (ds.metadata?.deletionTimestamp) return;

      const selector = selectorFromLabelSelector(ds.spec?.selector);
      const owned = controlledHistories(clients, ds, selector, histories.lister.listInNamespace(namespace));
      const daemonPods = () => [...nodesToDaemonPods(ds, false).values()].flat();
      let cur: ControllerRevision;
      let old: ControllerRevision[];
      try {
        ({ cur, old } = constructHistory(clients, ds, owned, daemonPods));
      } catch (err) {
        throw new Error(`failed to construct revisions of DaemonSet: ${err instanceof Error ? err.message : String(err)}`);
      }
      const hash = cur.metadata?.labels?.[controllerRevisionHashLabelKey] ?? '';
      let requeueAfterMs: number | undefined;
      const after = (ms: number | undefined) => {
        if (ms !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms);
      };

      const updateStatus = (updateObservedGen: boolean) => {
        const counts = statusCounts(ds, nodeList, nodesToDaemonPods(ds, false), hash, clock.now());
        try {
          storeStatus(ds, counts, updateObservedGen);
        } catch (err) {
          throw new Error(`error storing status for daemon set ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
        // Resync after minReadySeconds, as a last line of defence against a missed availability.
        const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
        if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) after(minReadySeconds * 1000);
      };

      if (!expectations.satisfied(key)) {
        // Only status; the generation was not acted on.
        updateStatus(false);
        return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
      }

      let syncErr: unknown;
      try {
        const plan = planManage(ds, nodeList, nodesToDaemonPods(ds, false), hash, clock.now(), backoff);
        for (const e of plan.events) recorder.record(ownerEventRef(ds, daemonSetKind), e.type, e.reason, e.message);
        after(plan.requeueAfterMs);
        syncNodes(ds, key, plan.deletes, plan.creates, hash);
        if (expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
          const roll = planRollingUpdate(ds, nodeList, nodesToDaemonPods(ds, false), hash, clock.now());
          syncNodes(ds, key, roll.deletes, roll.creates, hash);
        }
        try {
          cleanupHistory(clients, ds, old, [...nodesToDaemonPods(ds, true).values()].flat());
        } catch (err) {
          throw new Error(`failed to clean up revisions of DaemonSet: ${err instanceof Error ? err.message : String(err)}`);
        }
      } catch (err) {
        syncErr = err;
      }
      try {
        updateStatus(true);
      } catch (statusErr) {
        if (syncErr === undefined) throw statusErr;
        log(`daemonset: failed to update status of ${key}: ${statusErr instanceof Error ? statusErr.message : String(statusErr)}`);
      }
      if (syncErr !== undefined) throw syncErr;
      return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
    };
    return new QueueController({ name: 'daemonset', queue, reconcile, log });
  },
};
