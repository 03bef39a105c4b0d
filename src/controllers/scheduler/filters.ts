/**
 * kube-scheduler's Filter plugins for one node, in the default profile's
 * order, with their reason strings. A node fails at the first plugin that
 * rejects it; NodeResourcesFit may give several reasons at once.
 * `UnschedulableAndUnresolvable` marks failures preemption cannot fix.
 */
import type { Pod } from '../../api/api.ts';
import type { NodeInfo, HostPort } from './node-info.ts';
import { hostPorts } from './node-info.ts';
import { matchesRequiredNodeAffinity } from '../../api/node-affinity.ts';
import { podResource } from './pod-requests.ts';
import { findMatchingUntoleratedTaint, noScheduleOrNoExecute, tolerationsTolerateTaint } from '../../api/taints.ts';

export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterFailure {
  plugin: string;
  code: StatusCode;
  reasons: string[];
}

export const reasons = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  nodePorts: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
} as const;

type Filter = (pod: Pod, info: NodeInfo) => FilterFailure | undefined;

const fail = (plugin: string, code: StatusCode, ...r: string[]): FilterFailure => ({ plugin, code, reasons: r });

const nodeUnschedulable: Filter = (pod, { node }) => {
  if (!node.spec?.unschedulable) return undefined;
  // A pod tolerating the unschedulable taint tolerates spec.unschedulable too.
  if (tolerationsTolerateTaint(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return undefined;
  return fail('NodeUnschedulable', 'UnschedulableAndUnresolvable', reasons.unschedulable);
};

const nodeName: Filter = (pod, { node }) =>
  !pod.spec?.nodeName || pod.spec.nodeName === node.metadata?.name ? undefined : fail('NodeName', 'UnschedulableAndUnresolvable', reasons.nodeName);

const taintToleration: Filter = (pod, { node }) => {
  const taint = findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, noScheduleOrNoExecute);
  return taint ? fail('TaintToleration', 'UnschedulableAndUnresolvable', `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : undefined;
};

const nodeAffinity: Filter = (pod, { node }) =>
  matchesRequiredNodeAffinity(pod.spec, node) ? undefined : fail('NodeAffinity', 'UnschedulableAndUnresolvable', reasons.nodeAffinity);

/** HostPortInfo.CheckConflict: 0.0.0.0 conflicts with every address, any address with itself and 0.0.0.0. */
export function portConflict(used: readonly HostPort[], want: HostPort): boolean {
  return used.some((u) => u.protocol === want.protocol && u.port === want.port && (want.ip === '0.0.0.0' || u.ip === '0.0.0.0' || u.ip === want.ip));
}

const nodePorts: Filter = (pod, info) =>
  hostPorts(pod).some((p) => portConflict(info.usedPorts, p)) ? fail('NodePorts', 'Unschedulable', reasons.nodePorts) : undefined;

/** NodeResourcesFit's fitsRequest: pods first, then cpu, memory, ephemeral-storage, scalar resources. */
const nodeResourcesFit: Filter = (pod, info) => {
  const want = podResource(pod);
  const { allocatable: a, requested: r } = info;
  const out: string[] = [];
  if (BigInt(info.pods.length + 1) > a.allowedPodNumber) out.push(reasons.tooManyPods);
  const none = want.milliCPU === 0n && want.memory === 0n && want.ephemeralStorage === 0n && want.scalar.size === 0;
  if (!none) {
    if (want.milliCPU > 0n && want.milliCPU > a.milliCPU - r.milliCPU) out.push('Insufficient cpu');
    if (want.memory > 0n && want.memory > a.memory - r.memory) out.push('Insufficient memory');
    if (want.ephemeralStorage > 0n && want.ephemeralStorage > a.ephemeralStorage - r.ephemeralStorage) out.push('Insufficient ephemeral-storage');
    for (const [name, q] of want.scalar) {
      if (q === 0n) continue;
      if (q > (a.scalar.get(name) ?? 0n) - (r.scalar.get(name) ?? 0n)) out.push(`Insufficient ${name}`);
    }
  }
  return out.length > 0 ? fail('NodeResourcesFit', 'Unschedulable', ...out) : undefined;
};

/** The default profile's filters berth runs, in upstream order. */
export const filters: readonly [string, Filter][] = [
  ['NodeUnschedulable', nodeUnschedulable],
  ['NodeName', nodeName],
  ['TaintToleration', taintToleration],
  ['NodeAffinity', nodeAffinity],
  ['NodePorts', nodePorts],
  ['NodeResourcesFit', nodeResourcesFit],
];

/** RunFilterPlugins: the first failure, or undefined when the pod fits the node. */
export function runFilters(pod: Pod, info: NodeInfo): FilterFailure | undefined {
  for (const [, f] of filters) {
    const failure = f(pod, info);
    if (failure) return failure;
  }
  return undefined;
}
