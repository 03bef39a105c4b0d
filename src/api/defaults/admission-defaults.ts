/**
 * What the admission plugins of a plain cluster add to a new pod, after the
 * scheme defaults: Priority (`priority`, `preemptionPolicy`), ServiceAccount
 * (`serviceAccountName`; the plugin's lookup of the ServiceAccount and its
 * token volume need the registry, which runs them as a pod admission hook:
 * api/core/serviceaccount/serviceaccount-admission.ts) and
 * DefaultTolerationSeconds (the not-ready/unreachable tolerations).
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';

/** The PriorityClasses every cluster has; no other class exists in berth. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** `--default-not-ready-toleration-seconds` / `--default-unreachable-toleration-seconds`. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * Priority admission: pods without a class get priority 0 (no global default
 * class exists); the system classes resolve to their values. An unknown class
 * is left for validation to reject.
 */
export function admitPriority(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  const className = spec.priorityClassName ?? '';
  if (className === '') spec.priority ??= 0;
  else if (Object.hasOwn(SYSTEM_PRIORITY_CLASSES, className)) spec.priority ??= SYSTEM_PRIORITY_CLASSES[className];
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

/**
 * ServiceAccount admission, the part that needs no lookup: the name defaults
 * to `default` (the rest: api/core/serviceaccount/serviceaccount-admission.ts).
 */
export function admitServiceAccount(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
}

function tolerates(t: Toleration, key: string): boolean {
  return (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);
}

/** DefaultTolerationSeconds: 300 s for the not-ready and unreachable taints unless tolerated already. */
export function admitDefaultTolerations(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  const existing = spec.tolerations ?? [];
  const added: Toleration[] = [];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!existing.some((t) => tolerates(t, key))) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length > 0) spec.tolerations = [...existing, ...added];
}
