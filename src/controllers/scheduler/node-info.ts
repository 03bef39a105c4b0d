/**
 * NodeInfo: one node and what is already placed on it, as the scheduler's
 * cache aggregates it — the pods bound to it that are not terminal (pods
 * being deleted count until gone), their summed requests and host ports.
 */
import type { Pod } from '../../api/api.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import { addResource, emptyResource, podResource, toResource, type Resource } from './pod-requests.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface NodeInfo {
  node: Node;
  pods: Pod[];
  requested: Resource;
  allocatable: Resource;
  usedPorts: HostPort[];
}

/**
 * The host ports a pod's app containers and restartable init containers ask
 * for (hostPort > 0), with hostIP and protocol defaulted. Sidecars count
 * since the fix backported to v1.33 (kubernetes#132040).
 */
export function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function nodeInfo(node: Node, pods: readonly Pod[]): NodeInfo {
  const list = new Map<string, ReturnType<typeof tryParseQuantity>>();
  for (const [name, v] of Object.entries(node.status?.allocatable ?? {})) list.set(name, tryParseQuantity(v));
  const allocatable = toResource(new Map([...list].filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)));
  const info: NodeInfo = { node, pods: [], requested: emptyResource(), allocatable, usedPorts: [] };
  for (const pod of pods) addPod(info, pod);
  return info;
}

export function addPod(info: NodeInfo, pod: Pod): void {
  info.pods.push(pod);
  addResource(info.requested, podResource(pod));
  info.usedPorts.push(...hostPorts(pod));
}
