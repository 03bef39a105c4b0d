/**
 * Scheme defaults for apps/v1 workloads: `SetDefaults_Deployment`,
 * `SetDefaults_ReplicaSet` and `SetDefaults_DaemonSet` of kubernetes
 * `pkg/apis/apps/v1/defaults.go`, and the pod template defaults the generated
 * `SetObjectDefaults_*` apply to `spec.template.spec` (the PodSpec defaults
 * only: what `SetDefaults_Pod` adds, such as enableServiceLinks or requests
 * from limits, materialises in the Pods, not in the template).
 */
import type { DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec, StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { defaultResourceList } from './container-defaults.ts';
import { applyPodSpecDefaults } from './pod-defaults.ts';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** The defaults of `spec.template` of any workload. */
export function defaultPodTemplateSpec(template: PodTemplateSpec): void {
  // Go always encodes the (non-pointer) spec struct and its containers list.
  template.spec ??= { containers: [] };
  applyPodSpecDefaults(template.spec);
}

export function defaultDeployment(d: Deployment): void {
  d.spec ??= {} as DeploymentSpec;
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  const strategy = spec.strategy;
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= '25%';
    strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.progressDeadlineSeconds ??= DEFAULT_PROGRESS_DEADLINE_SECONDS;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= {} as ReplicaSetSpec;
  rs.spec.replicas ??= 1;
  rs.spec.template ??= {};
  defaultPodTemplateSpec(rs.spec.template);
}

export function defaultDaemonSet(ds: DaemonSet): void {
  ds.spec ??= {} as DaemonSetSpec;
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  const strategy = spec.updateStrategy;
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= 1;
    strategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/**
 * `SetDefaults_PersistentVolumeClaim` and `SetDefaults_PersistentVolumeClaimSpec`
 * as the generated defaulters apply them to a StatefulSet's
 * volumeClaimTemplates: phase Pending (so stored templates carry
 * `status: {phase: Pending}`, as kube-apiserver's do), volumeMode Filesystem,
 * canonical quantities.
 */
function defaultVolumeClaimTemplate(claim: PersistentVolumeClaim): void {
  claim.spec ??= {};
  claim.spec.volumeMode ??= 'Filesystem';
  defaultResourceList(claim.spec.resources?.limits as Record<string, unknown> | undefined);
  defaultResourceList(claim.spec.resources?.requests as Record<string, unknown> | undefined);
  // PersistentVolumeClaim.status is readonly in kubernetes-types; the template's is written like any default.
  const writable = claim as { status?: { phase?: string } };
  writable.status ??= {};
  writable.status.phase ||= 'Pending';
}

/**
 * `SetDefaults_StatefulSet` (v1.33: StatefulSetAutoDeletePVC on,
 * MaxUnavailableStatefulSet off, so maxUnavailable is not defaulted), with
 * the template's PodSpec defaults and the claim templates' defaults.
 */
export function defaultStatefulSet(ss: StatefulSet): void {
  ss.spec ??= {} as StatefulSetSpec;
  const spec = ss.spec;
  spec.podManagementPolicy ||= 'OrderedReady';
  spec.updateStrategy ??= {};
  const strategy = spec.updateStrategy;
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) defaultVolumeClaimTemplate(claim);
}
