/**
 * defaults — what the API server fills in between decoding a request and
 * validating it, so that `kubectl get -o yaml` reads like a real cluster's.
 *
 * Owns: the scheme defaults of kubernetes `pkg/apis/core/v1/defaults.go`
 * (and the generated `SetObjectDefaults_*` walk) for Pod, Namespace,
 * Secret and Event (ConfigMap has none), and of apps/v1 `pkg/apis/apps/v1/defaults.go`
 * for Deployments, ReplicaSets and DaemonSets with their pod templates; canonical resource quantities (computed with
 * api/validation's quantity, the one implementation); the mutations of
 * the admission plugins a plain cluster runs on pod create (Priority,
 * ServiceAccount, DefaultTolerationSeconds); and the pod QoS class.
 *
 * Does not own: validation (api/validation), status written by the registry
 * or kubelet, or timestamps/uids/resourceVersions (registry/).
 *
 * State: none. Every function mutates only the object it is given. Timers: none.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitDefaultTolerations, admitPriority, admitServiceAccount } from './admission-defaults.ts';
import { applyPodSchemeDefaults } from './pod-defaults.ts';

export { applyPodSchemeDefaults, applyPodSpecDefaults } from './pod-defaults.ts';
export { defaultDaemonSet, defaultDeployment, defaultPodTemplateSpec, defaultReplicaSet } from './apps-defaults.ts';
export { defaultJob, defaultJobLabels, generateJobSelector } from './batch-defaults.ts';
export { defaultEvent, defaultNamespace, defaultSecret } from './object-defaults.ts';
export { podQosClass, type QOSClass } from './qos-class.ts';
export { defaultPullPolicy, parseImageReference, withDefaultTag, type ImageReference } from './image-reference.ts';

/**
 * Defaults of a pod being created: scheme defaults, then the admission
 * plugins' additions. Mutates `pod`.
 */
export function defaultPod(pod: Pod): void {
  applyPodSchemeDefaults(pod);
  admitPod(pod);
}

/**
 * The mutating admission plugins' additions to a new pod. kube-apiserver runs
 * them after recording field ownership, so no manager owns what they add.
 */
export function admitPod(pod: Pod): void {
  admitPriority(pod);
  admitServiceAccount(pod);
  admitDefaultTolerations(pod);
}
