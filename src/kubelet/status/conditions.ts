/**
 * Kubelet-owned pod conditions (pkg/kubelet/status/generate.go, v1.33).
 * Pure; `lastTransitionTime` is added by the status manager, which knows the
 * previous conditions.
 */
import type { ContainerStatus, Pod, PodCondition } from '../../api/api.ts';
import { goValue } from '../../api/go-format.ts';
import { isSidecar } from '../container/pod-predicates.ts';
import type { PodPhase } from './phase.ts';

function cond(type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function podReadyToStartContainersCondition(sandboxReady: boolean): PodCondition {
  return cond('PodReadyToStartContainers', sandboxReady ? 'True' : 'False');
}

function hasAnyRegularContainerStarted(pod: Pod, statuses: ContainerStatus[]): boolean {
  return pod.spec!.containers.some((c) => {
    const s = statuses.find((x) => x.name === c.name);
    return !!s && (!!s.state?.running || !!s.state?.terminated);
  });
}

export function initializedCondition(pod: Pod, statuses: ContainerStatus[] | undefined, phase: PodPhase): PodCondition {
  const inits = pod.spec!.initContainers ?? [];
  if (!statuses && inits.length > 0) return cond('Initialized', 'False', 'UnknownContainerStatuses');
  const all = statuses ?? [];
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = all.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (isSidecar(c)) {
      if (!s.started) incomplete.push(c.name);
      continue;
    }
    if (!s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return cond('Initialized', 'True', 'PodCompleted');
  if (hasAnyRegularContainerStarted(pod, all)) return cond('Initialized', 'True');
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goValue(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goValue(incomplete)}`);
  if (messages.length) return cond('Initialized', 'False', 'ContainersNotInitialized', messages.join(', '));
  return cond('Initialized', 'True');
}

export function containersReadyCondition(pod: Pod, statuses: ContainerStatus[] | undefined, phase: PodPhase): PodCondition {
  if (!statuses) return cond('ContainersReady', 'False', 'UnknownContainerStatuses');
  const unknown: string[] = [];
  const unready: string[] = [];
  const consider = [...(pod.spec!.initContainers ?? []).filter(isSidecar), ...pod.spec!.containers];
  for (const c of consider) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return cond('ContainersReady', 'False', 'PodCompleted');
  if (phase === 'Failed') return cond('ContainersReady', 'False', 'PodFailed');
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goValue(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goValue(unready)}`);
  if (messages.length) return cond('ContainersReady', 'False', 'ContainersNotReady', messages.join(', '));
  return cond('ContainersReady', 'True');
}

export function readyCondition(
  pod: Pod,
  conditions: PodCondition[],
  statuses: ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  const cr = containersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') return cond('Ready', cr.status as 'False', cr.reason, cr.message);
  const messages: string[] = [];
  for (const gate of pod.spec!.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') {
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
    }
  }
  if (messages.length) return cond('Ready', 'False', 'ReadinessGatesNotReady', messages.join(', '));
  return cond('Ready', 'True');
}

/** Condition types the kubelet owns; all others are preserved as they are. */
export const kubeletConditionTypes = new Set([
  'PodScheduled',
  'Ready',
  'Initialized',
  'ContainersReady',
  'PodReadyToStartContainers',
]);
