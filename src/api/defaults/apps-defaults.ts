/**
 * Scheme defaults for apps/v1 workloads: `SetDefaults_Deployment`,
 * `SetDefaults_ReplicaSet` and `SetDefaults_DaemonSet` of kubernetes
 * `pkg/apis/apps/v1/defaults.go`, and the pod template defaults the generated
 * `SetObjectDefaults_*` apply to `spec.template.spec` (the PodSpec defaults
 * only: what `SetDefaults_Pod` adds, such as enableServiceLinks or requests
 * from limits, materialises in the Pods, not in the template).
 */
import type { DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
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
