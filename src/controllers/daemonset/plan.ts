/**
 * The DaemonSet controller's decisions, as pure functions of the
 * DaemonSet, the nodes, its pods by node, the current revision's hash and
 * the time (daemon_controller.go's podsShouldBeOnNode and status counts,
 * update.go's rollingUpdate). The executor in daemonset.ts carries them out.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import {
  allowsSurge,
  compareByCreationAndPhase,
  controllerRevisionHashLabelKey,
  isPodUpdated,
  surgeCount,
  templateGeneration,
  unavailableCount,
} from './daemon-pod.ts';
import { nodeShouldRunDaemonPod } from './node-fit.ts';
import { isPodAvailable, isPodReady } from '../pod-readiness.ts';

export type NodeToDaemonPods = Map<string, Pod[]>;

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What one sync changes: pods to delete (by name), nodes to create a pod on. */
export interface PodChanges {
  deletes: string[];
  creates: string[];
}

/** The failed-pod backoff podsShouldBeOnNode consults (failed-pod-backoff.ts). */
export interface FailedPodBackoff {
  inBackoffSinceUpdate(key: string, now: number): boolean;
  delayMs(key: string): number;
  next(key: string, now: number): void;
}

export interface ManagePlan extends PodChanges {
  events: PlannedEvent[];
  /** Sync again after this long (a failed pod waiting out its backoff). */
  requeueAfterMs?: number;
}

/** failedPodsBackoffKey: per DaemonSet, observed generation and node. */
export function failedPodsBackoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata?.uid ?? ''}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}

/**
 * manage's plan: for each node, podsShouldBeOnNode — create where a pod
 * should run and none is; delete failed pods (with backoff) and succeeded
 * ones, excess pods (all but the oldest, or with surge the oldest new and
 * the oldest old until the new one is available), and every pod on a node
 * it must leave — then the unbound pods aimed at nodes that do not exist.
 */
export function planManage(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: NodeToDaemonPods, hash: string, now: number, backoff: FailedPodBackoff): ManagePlan {
  const plan: ManagePlan = { deletes: [], creates: [], events: [] };
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const nodeName = node.metadata?.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = nodeToDaemonPods.get(nodeName);
    if (shouldRun && !daemonPods) {
      plan.creates.push(nodeName);
      continue;
    }
    if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of daemonPods ?? []) {
        if (pod.metadata?.deletionTimestamp) continue;
        const ref = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
        if (pod.status?.phase === 'Failed') {
          const key = failedPodsBackoffKey(ds, nodeName);
          if (backoff.inBackoffSinceUpdate(key, now)) {
            const delay = backoff.delayMs(key);
            plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? delay, delay);
            continue;
          }
          backoff.next(key, now);
          plan.events.push({ type: 'Warning', reason: 'FailedDaemonPod', message: `Found failed daemon pod ${ref} on node ${nodeName}, will try to kill it` });
          plan.deletes.push(pod.metadata?.name ?? '');
        } else if (pod.status?.phase === 'Succeeded') {
          plan.events.push({ type: 'Normal', reason: 'SucceededDaemonPod', message: `Found succeeded daemon pod ${ref} on node ${nodeName}, will try to delete it` });
          plan.deletes.push(pod.metadata?.name ?? '');
        } else {
          running.push(pod);
        }
      }
      running.sort(compareByCreationAndPhase);
      if (!allowsSurge(ds)) {
        for (const pod of running.slice(1)) plan.deletes.push(pod.metadata?.name ?? '');
        continue;
      }
      if (running.length <= 1) {
        // Surging needs at least one live pod on the node.
        if (running.length === 0 && shouldRun) plan.creates.push(nodeName);
        continue;
      }
      // With surge: keep the oldest new pod, and the oldest old pod until the new one is available.
      let oldestNew: Pod | undefined;
      let oldestOld: Pod | undefined;
      for (const pod of running) {
        const isNew = pod.metadata?.labels?.[controllerRevisionHashLabelKey] === hash;
        if (isNew && !oldestNew) oldestNew = pod;
        else if (!isNew && !oldestOld) oldestOld = pod;
        else plan.deletes.push(pod.metadata?.name ?? '');
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReadySeconds, now))) {
        plan.deletes.push(oldestOld.metadata?.name ?? '');
      }
      continue;
    }
    if (daemonPods) {
      for (const pod of daemonPods) if (!pod.metadata?.deletionTimestamp) plan.deletes.push(pod.metadata?.name ?? '');
    }
  }
  // getUnscheduledPodsWithoutNode: no pod GC will ever delete these.
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  for (const [nodeName, pods] of nodeToDaemonPods) {
    if (known.has(nodeName)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName) plan.deletes.push(pod.metadata?.name ?? '');
  }
  return plan;
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, else not ok (manage prunes first). */
function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { ok: boolean; newPod?: Pod; oldPod?: Pod } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, newPod, oldPod };
}

/**
 * rollingUpdate's plan. Without surge: delete old pods that are
 * unavailable, and available old pods while fewer than maxUnavailable
 * pods are unavailable (manage then creates their replacements). With
 * surge: create a new pod beside an old one (at once when the old one is
 * unavailable, else up to maxSurge at a time) and delete the old pod once
 * the new one is available. Throws for a malformed maxSurge/maxUnavailable.
 */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: NodeToDaemonPods, hash: string, now: number): PodChanges {
  const byNode: NodeToDaemonPods = new Map(nodeToDaemonPods);
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  // updatedDesiredNodeCounts
  let desired = 0;
  const nodeByName = new Map<string, Node>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    nodeByName.set(name, node);
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!byNode.has(name)) byNode.set(name, []);
  }
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desired);
  } catch (err) {
    throw new Error(`couldn't get unavailable numbers: invalid value for MaxUnavailable: ${(err as Error).message}`);
  }
  try {
    maxSurge = surgeCount(ds, desired);
  } catch (err) {
    throw new Error(`couldn't get unavailable numbers: invalid value for MaxSurge: ${(err as Error).message}`);
  }
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const available = (p: Pod) => isPodAvailable(p, minReadySeconds, now);

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: string[] = [];
    const candidates: string[] = [];
    for (const pods of byNode.values()) {
      const { ok, newPod, oldPod } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) {
        allowed.push(oldPod!.metadata?.name ?? '');
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod!.metadata?.name ?? '');
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletes: [...allowed, ...candidates.slice(0, remaining)], creates: [] };
  }

  const deletes: string[] = [];
  const shouldNotRunToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of byNode) {
    const { ok, newPod, oldPod } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const node = nodeByName.get(nodeName);
      if (!node) throw new Error(`couldn't get node for nodeName "${nodeName}": node "${nodeName}" not found`);
      const shouldRun = nodeShouldRunDaemonPod(node, ds).shouldRun;
      if (!available(oldPod)) {
        if (!shouldRun) deletes.push(oldPod.metadata?.name ?? '');
        else allowedNewNodes.push(nodeName);
        continue;
      }
      if (!shouldRun) {
        shouldNotRunToDelete.push(oldPod.metadata?.name ?? '');
        continue;
      }
      if (numSurge >= maxSurge) continue;
      candidateNewNodes.push(nodeName);
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    deletes.push(oldPod.metadata?.name ?? '');
  }
  // With maxSurge the owner expects full availability: a pod on a node it must leave goes only once enough are available elsewhere.
  const deletable = Math.min(numAvailable - desired, shouldNotRunToDelete.length);
  if (deletable > 0) deletes.push(...shouldNotRunToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
  return { deletes, creates: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** updateDaemonSetStatus's counts, judged on the oldest pod of each node. */
export function statusCounts(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: NodeToDaemonPods, hash: string, now: number): DaemonSetCounts {
  const c: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  for (const node of nodes) {
    const pods = nodeToDaemonPods.get(node.metadata?.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!scheduled) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(compareByCreationAndPhase)[0];
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, minReadySeconds, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}
