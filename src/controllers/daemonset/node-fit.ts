/**
 * Whether a DaemonSet's pod belongs on a node, as the DaemonSet controller
 * decides it (NodeShouldRunDaemonPod and its predicates): the template's
 * nodeName, the pod's required node affinity (nodeSelector and required
 * nodeSelectorTerms, component-helpers' nodeaffinity), and the node's
 * NoSchedule/NoExecute taints against the template's tolerations plus the
 * ones every daemon pod gets.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity } from '../../api/node-affinity.ts';
import { findMatchingUntoleratedTaint, noScheduleOrNoExecute } from '../../api/taints.ts';
import { addOrUpdateDaemonPodTolerations } from './daemon-pod.ts';

/** NewPod: the daemon pod for `nodeName` as the predicates see it (template, node name, daemon tolerations). */
export function newDaemonPod(ds: DaemonSet, nodeName: string): Pod {
  const spec: PodSpec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  addOrUpdateDaemonPodTolerations(spec);
  return { metadata: { ...structuredClone(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata?.namespace }, spec };
}

export interface NodeFit {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod. A node whose untolerated taints are all NoSchedule
 * gets no new pod but keeps the one it has; an untolerated NoExecute taint
 * removes it.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const nodeName = node.metadata?.name ?? '';
  const pod = newDaemonPod(ds, nodeName);
  const templateNodeName = ds.spec?.template?.spec?.nodeName ?? '';
  if (templateNodeName !== '' && templateNodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const fitsNodeName = !pod.spec!.nodeName || pod.spec!.nodeName === nodeName;
  if (!fitsNodeName || !matchesRequiredNodeAffinity(pod.spec!, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = pod.spec!.tolerations ?? [];
  if (findMatchingUntoleratedTaint(taints, tolerations, noScheduleOrNoExecute)) {
    return { shouldRun: false, shouldContinueRunning: !findMatchingUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
