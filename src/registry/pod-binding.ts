/**
 * Binding a pod to a node (pods/binding): sets spec.nodeName and the
 * PodScheduled condition in one write, as the scheduler's bind does.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { errors, rfc3339 } from '../api/api.ts';
import type { Stored } from '../api/types.ts';
import type { ResourceStore } from './resource-store.ts';

export function bindPod(pods: ResourceStore<Pod>, ns: string, name: string, nodeName: string, now: number): Stored<Pod> {
  return pods.internalUpdate(ns, name, (pod) => {
    if (pod.metadata.deletionTimestamp) {
      throw errors.conflict('pods', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    const spec = (pod.spec ??= { containers: [] });
    if (spec.nodeName) {
      throw errors.conflict('pods', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    spec.nodeName = nodeName;
    const status = (pod.status ??= {});
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    // The scheduler's condition serializes lastProbeTime as null, which kubernetes-types cannot express.
    const lastProbeTime = null as unknown as undefined;
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime, lastTransitionTime: rfc3339(now) });
    status.conditions = conditions;
    return pod;
  });
}
