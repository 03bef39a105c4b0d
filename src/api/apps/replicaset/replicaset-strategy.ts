/**
 * Storage rules for apps/v1 ReplicaSets (kube-apiserver `pkg/registry/apps/replicaset`
 * strategy.go): the shared workload rules with `SetDefaults_ReplicaSet`, the
 * ReplicaSet validation, the pod template warnings and the `status.replicas`
 * field selector.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { defaultReplicaSet } from '../../defaults/defaults.ts';
import type { Strategy } from '../../kind.ts';
import { validateReplicaSet, validateReplicaSetStatusUpdate, validateReplicaSetUpdate } from '../../validation/validation.ts';
import { workloadStrategy, workloadWarnings } from '../workload-strategy.ts';

export const replicaSetStrategy: Strategy<ReplicaSet> = workloadStrategy<ReplicaSet>({
  defaults: (rs) => defaultReplicaSet(rs),
  // ReplicaSetStatus.replicas is not omitempty: a new status encodes as `{replicas: 0}`.
  initialStatus: () => ({ replicas: 0 }),
  validate: (rs) => validateReplicaSet(rs),
  validateUpdate: (rs, old) => validateReplicaSetUpdate(rs, old),
  validateStatusUpdate: (rs, old) => validateReplicaSetStatusUpdate(rs, old),
  annotationsBumpGeneration: false,
  warnings: workloadWarnings<ReplicaSet>(true),
  selectableFields: ['status.replicas'],
  fields: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
});
