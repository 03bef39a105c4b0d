/**
 * Storage rules for apps/v1 DaemonSets (kube-apiserver `pkg/registry/apps/daemonset`
 * strategy.go): the shared workload rules with the DaemonSet's defaults and validation.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../workload-strategy.ts';

export const daemonSetStrategy: Strategy<DaemonSet> = workloadStrategy<DaemonSet>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
  annotationsBumpGeneration: false,
});
