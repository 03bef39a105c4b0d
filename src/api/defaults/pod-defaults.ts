/**
 * Scheme defaults for a Pod: `SetDefaults_Pod` and `SetDefaults_PodSpec` from
 * kubernetes `pkg/apis/core/v1/defaults.go`, then the per-container and
 * per-volume defaults the generated `SetObjectDefaults_Pod` applies. The API
 * server runs these on every write of a pod (create, update, patch), after
 * the v1 conversion of the deprecated `serviceAccount` alias.
 */
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { defaultContainer, defaultRequestsFromLimits, defaultResourceList } from './container-defaults.ts';
import { defaultVolume } from './volume-defaults.ts';

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** With host networking every container port is also a host port. */
function defaultHostNetworkPorts(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

/**
 * v1 conversion of `PodSpec`: `serviceAccount` is a deprecated alias of
 * `serviceAccountName`; the new field wins, and the alias is written back.
 */
function convertServiceAccountAlias(spec: PodSpec): void {
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
}

/**
 * The defaults every PodSpec gets, in a Pod or in a pod template (Deployment,
 * ReplicaSet, DaemonSet, ...): the v1 conversion, `SetDefaults_PodSpec` and
 * the per-volume and per-container defaults of the generated
 * `SetObjectDefaults_*` walk. What only a Pod gets is in `SetDefaults_Pod`
 * (applyPodSchemeDefaults): requests from limits, enableServiceLinks and
 * host-network host ports (the DefaultHostNetworkHostPortsInPodTemplates gate
 * is off in v1.33).
 */
export function applyPodSpecDefaults(spec: PodSpec): void {
  convertServiceAccountAlias(spec);
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;

  for (const v of spec.volumes ?? []) defaultVolume(v);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  defaultResourceList(spec.overhead as Record<string, unknown> | undefined);
}

/**
 * Scheme defaults only, for every decoded pod (create, update, patch);
 * admission defaults (`admitPod`) belong to create.
 */
export function applyPodSchemeDefaults(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;

  // SetDefaults_Pod
  for (const c of spec.containers ?? []) defaultRequestsFromLimits(c);
  for (const c of spec.initContainers ?? []) defaultRequestsFromLimits(c);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }

  applyPodSpecDefaults(spec);
}
