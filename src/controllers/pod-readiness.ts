/**
 * A pod's readiness and availability as every workload controller reads
 * them (pkg/api/v1/pod: IsPodReady, IsPodAvailable): ready is the Ready
 * condition True; available is ready for strictly more than minReadySeconds
 * by the condition's lastTransitionTime (a ready pod without a transition
 * time is available only when minReadySeconds is 0). Pure functions.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** IsPodReady. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod turned ready (ms since the epoch), or undefined when it is not ready or the time is unset. */
export function podReadySince(pod: Pod): number | undefined {
  if (!isPodReady(pod)) return undefined;
  const s = readyCondition(pod)?.lastTransitionTime;
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** IsPodAvailable at `now` (ms). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/**
 * When a ready pod not yet available becomes available (the first ms at
 * which isPodAvailable holds), or undefined when that is not to come.
 */
export function podAvailableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const since = podReadySince(pod);
  if (since === undefined || minReadySeconds === 0) return undefined;
  return since + minReadySeconds * 1000 + 1;
}
