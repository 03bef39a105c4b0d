/**
 * Queueing hints: whether a cluster event may make an unschedulable pod
 * schedulable, judged by the plugins that rejected it (each plugin's
 * isSchedulableAfter… functions, reduced to one node):
 *
 *   - a bound pod deleted or terminal frees resources (NodeResourcesFit)
 *     and its host ports (NodePorts, when they overlap the pod's);
 *   - a node added helps any rejection; a node updated helps when the
 *     rejecting plugin now passes against the node alone and did not
 *     before (for NodeResourcesFit: allocatable changed and now fits).
 *
 * A pod rejected with no nodes at all waits for a node. A pod VolumeBinding
 * rejected (a missing or unbound claim) waits for a claim or class event.
 */
import type { Pod } from '../../api/api.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import { filters, portConflict } from './filters.ts';
import { affinityNodeNames } from './node-affinity.ts';
import { hostPorts, nodeInfo } from './node-info.ts';

export type ClusterEvent =
  | { kind: 'AssignedPodDelete'; pod: Pod }
  | { kind: 'NodeAdd'; node: Node }
  | { kind: 'NodeUpdate'; oldNode: Node; node: Node }
  /** A PersistentVolumeClaim added or changed, or a StorageClass added (VolumeBinding). */
  | { kind: 'PvcChange' };

/** The plugin's filter against the node alone (nothing placed on it). */
function passesAlone(plugin: string, pod: Pod, node: Node): boolean {
  if (plugin === 'NodeAffinity') {
    const pinned = affinityNodeNames(pod);
    if (pinned && !pinned.has(node.metadata?.name ?? '')) return false;
  }
  const f = filters.find(([name]) => name === plugin)?.[1];
  return !f || !f(pod, nodeInfo(node, []));
}

export function isSchedulableAfter(pod: Pod, plugins: ReadonlySet<string>, event: ClusterEvent): boolean {
  switch (event.kind) {
    case 'PvcChange':
      return plugins.has('VolumeBinding');
    case 'AssignedPodDelete': {
      if (plugins.has('NodeResourcesFit')) return true;
      if (!plugins.has('NodePorts')) return false;
      const freed = hostPorts(event.pod);
      return hostPorts(pod).some((p) => portConflict(freed, p));
    }
    case 'NodeAdd':
      return true;
    case 'NodeUpdate': {
      if (plugins.size === 0) return true;
      for (const plugin of plugins) {
        if (plugin === 'NodePorts') continue;
        if (plugin === 'NodeResourcesFit') {
          const changed = JSON.stringify(event.oldNode.status?.allocatable ?? {}) !== JSON.stringify(event.node.status?.allocatable ?? {});
          if (changed && passesAlone(plugin, pod, event.node)) return true;
          continue;
        }
        if (passesAlone(plugin, pod, event.node) && !passesAlone(plugin, pod, event.oldNode)) return true;
      }
      return false;
    }
  }
}
