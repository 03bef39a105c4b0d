/**
 * scheduler — kube-scheduler for berth's one node: a pod with no
 * spec.nodeName, not being deleted, with no scheduling gates and
 * schedulerName `default-scheduler` (the default) is run through the
 * default profile's filters (filters.ts) against the node and the pods
 * bound to it. If it fits it is bound (spec.nodeName + PodScheduled=True,
 * one write through pods/binding) and a `Scheduled` event is recorded; if
 * not it stays Pending with PodScheduled=False reason Unschedulable and the
 * FitError message, and a `FailedScheduling` Warning event from
 * default-scheduler (repeats are counted on one Event by the recorder).
 * Pods naming another scheduler stay Pending, as on a cluster without it.
 *
 * The condition is written with a status update of the unbound pod, which
 * no kubelet writes: the kubelet owns pod status only once it is bound.
 *
 * Not implemented: preemption (a pod with higher priority never evicts
 * others; the message words the dry run as upstream does), scoring (one
 * node), pod (anti-)affinity, topology spread, volumes.
 *
 * Loops: the work queue (one worker); the scheduling queue's backoff timers
 * and its 5-minute leftover flush every 30 s (scheduling-queue.ts); pod and
 * node events move unschedulable pods back (queueing-hints.ts). All on
 * ctx.clock.
 *
 * State: in memory only — the scheduling queue, and the pods bound but not
 * yet seen bound in the informer ("assumed", counted against the node so
 * two quick pods cannot both take the last room). On start every unbound
 * pod is tried (its informer add).
 */
import type { Pod } from '../../api/api.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import { EventRecorder } from '../../client/client.ts';
import { every } from '../../clock/clock.ts';
import type { Controller, ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { isTerminal, nodeInfo } from './node-info.ts';
import { isSchedulableAfter, type ClusterEvent } from './queueing-hints.ts';
import { fitErrorMessage, preemptionMessage, schedulePod, type Decision } from './schedule-one.ts';
import { volumeBindingPlugin, volumeBindingPreFilter } from './volume-binding.ts';
import { flushUnschedulableEveryMs, SchedulingQueue } from './scheduling-queue.ts';
import { unschedulableStatus } from './pod-condition.ts';

export const defaultSchedulerName = 'default-scheduler';

export function needsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && (pod.spec?.schedulerName ?? defaultSchedulerName) === defaultSchedulerName;
}

/** Whether a pod changed in anything the filters read (not its status or bookkeeping). */
function specChanged(a: Pod, b: Pod): boolean {
  const essence = (p: Pod) => JSON.stringify([p.metadata?.labels, p.metadata?.annotations, p.spec]);
  return essence(a) !== essence(b);
}

/** Event notes are cut at 1024 bytes with ` ...`, as the scheduler's truncateMessage. */
function truncateMessage(message: string): string {
  const max = 1024;
  const bytes = Buffer.from(message);
  if (bytes.length <= max) return message;
  return `${bytes.subarray(0, max - 4).toString()} ...`;
}

export const schedulerController: ControllerDefinition = {
  name: 'scheduler',
  create({ client, informers, clock, log }) {
    const pods = informers.forResource('pods');
    const nodes = informers.forResource('nodes');
    const claims = informers.forResource('persistentvolumeclaims');
    const classes = informers.forResource('storageclasses');
    const podClient = client.resource('pods');
    const queue = new RateLimitingQueue(clock);
    const sq = new SchedulingQueue(queue, clock);
    const recorder = new EventRecorder(client.events, { component: defaultSchedulerName }, () => clock.now(), log);
    /** Bound by us, not yet seen bound in the informer. */
    const assumed = new Map<string, Pod>();

    const moveOn = (event: ClusterEvent) =>
      sq.move((key, plugins) => {
        const { namespace = '', name } = splitKey(key);
        const pod = pods.lister.get(namespace, name);
        return pod !== undefined && isSchedulableAfter(pod, plugins, event);
      });
    pods.addEventHandler({
      add: (pod) => {
        if (needsScheduling(pod) && !pod.spec?.schedulingGates?.length) sq.add(objectKey(pod));
      },
      update: (old, pod) => {
        const key = objectKey(pod);
        if (pod.spec?.nodeName) {
          assumed.delete(key);
          sq.forget(key);
          // A bound pod turning terminal leaves the node, as a deletion.
          if (!isTerminal(old) && isTerminal(pod)) moveOn({ kind: 'AssignedPodDelete', pod: old });
          return;
        }
        if (!needsScheduling(pod) || pod.spec?.schedulingGates?.length) {
          sq.forget(key);
          return;
        }
        // The scheduler's own condition writes change only status.
        if (sq.tracks(key) && !specChanged(old, pod)) return;
        sq.add(key);
      },
      delete: (pod) => {
        const key = objectKey(pod);
        assumed.delete(key);
        sq.forget(key);
        const bound = pod.spec?.nodeName ? pod : undefined;
        if (bound && !isTerminal(bound)) moveOn({ kind: 'AssignedPodDelete', pod: bound });
      },
    });
    nodes.addEventHandler({
      add: (node) => moveOn({ kind: 'NodeAdd', node }),
      update: (oldNode, node) => {
        if (oldNode.metadata?.resourceVersion === node.metadata?.resourceVersion) return;
        moveOn({ kind: 'NodeUpdate', oldNode, node });
      },
    });

    // VolumeBinding: a claim appearing, binding or changing may let a pod in.
    claims.addEventHandler({ add: () => moveOn({ kind: 'PvcChange' }), update: () => moveOn({ kind: 'PvcChange' }) });
    classes.addEventHandler({ add: () => moveOn({ kind: 'PvcChange' }) });

    /** Every node with the pods on it: bound and not terminal, and those assumed. */
    const snapshot = () => {
      const all = pods.lister.list();
      const placed = new Map<string, Pod>();
      for (const p of all) if (p.spec?.nodeName && !isTerminal(p)) placed.set(objectKey(p), p);
      for (const [key, p] of assumed) if (!placed.has(key) && pods.lister.get(p.metadata?.namespace ?? '', p.metadata?.name ?? '')) placed.set(key, p);
      return nodes.lister.list().map((node: Node) => nodeInfo(node, [...placed.values()].filter((p) => p.spec?.nodeName === node.metadata?.name)));
    };

    const ref = (pod: Pod) => ({ kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', apiVersion: 'v1' });

    /** PodScheduled=False/Unschedulable on the unbound pod, unless it already says so. */
    const writeCondition = (namespace: string, name: string, message: string) => {
      for (let i = 0; i < 3; i++) {
        const cur = podClient.get(namespace, name);
        if (!cur || !needsScheduling(cur)) return;
        const status = unschedulableStatus(cur.status, message, clock.now());
        if (!status) return;
        try {
          podClient.updateStatus(namespace, { ...cur, status });
          return;
        } catch (err) {
          if (err instanceof ApiError && err.code === 409) continue;
          if (err instanceof ApiError && err.code === 404) return;
          throw err;
        }
      }
    };

    const reconcile = (key: string): void => {
      const { namespace = '', name } = splitKey(key);
      const pod = pods.lister.get(namespace, name);
      if (!pod || !needsScheduling(pod) || pod.spec?.schedulingGates?.length) {
        sq.forget(key);
        return;
      }
      const cycle = sq.startAttempt();
      const infos = snapshot();
      const volumeReason = infos.length > 0 ? volumeBindingPreFilter(pod, (ns, n) => claims.lister.get(ns, n), (n) => classes.lister.get(undefined, n)) : undefined;
      const decision: Decision = volumeReason
        ? {
            kind: 'unschedulable',
            message: fitErrorMessage(infos.length, [], {
              preFilterMsg: volumeReason,
              postFilterMsg: preemptionMessage(pod, infos.map(() => ({ status: { code: 'UnschedulableAndUnresolvable', reasons: [volumeReason] } }))),
            }),
            plugins: new Set([volumeBindingPlugin]),
          }
        : schedulePod(pod, infos);
      if (decision.kind === 'unschedulable') {
        sq.failed(key, decision.plugins, cycle);
        recorder.record(ref(pod), 'Warning', 'FailedScheduling', truncateMessage(decision.message));
        writeCondition(namespace, name, decision.message);
        return;
      }
      try {
        client.pods.bind(namespace, name, decision.nodeName);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        log(`binding pod ${namespace}/${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      assumed.set(key, { ...pod, spec: { ...pod.spec!, nodeName: decision.nodeName } });
      sq.forget(key);
      recorder.record(ref(pod), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${decision.nodeName}`);
    };

    const worker = new QueueController({ name: 'scheduler', queue, reconcile, log });
    let stopFlush: (() => void) | undefined;
    const controller: Controller = {
      start(signal) {
        stopFlush ??= every(clock, flushUnschedulableEveryMs, () => sq.flushLeftover());
        signal.addEventListener('abort', () => controller.stop(), { once: true });
        worker.start(signal);
      },
      stop() {
        stopFlush?.();
        worker.stop();
      },
    };
    return controller;
  },
};
