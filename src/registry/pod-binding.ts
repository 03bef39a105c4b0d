/**
 * Binding a pod to a node (pods/binding): sets spec.nodeName and the
 * PodScheduled condition in one write, as the scheduler's bind does.
 */
import { errors } from '../api/api.ts';
import { rfc3339 } from './object-meta.ts';
import type { ResourceStore } from './resource-store.ts';

export function bindPod(pods: ResourceStore, ns: string, name: string, nodeName: string, now: number): any {
  return pods.internalUpdate(ns, name, (pod) => {
    if (pod.metadata.deletionTimestamp) {
      throw errors.conflict('pods', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (pod.spec.nodeName) {
      throw errors.conflict('pods', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    }
    pod.spec.nodeName = nodeName;
    const conditions = (pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) });
    pod.status.conditions = conditions;
    return pod;
  });
}
