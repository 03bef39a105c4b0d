/**
 * Scheme defaults for batch/v1 CronJobs: `SetDefaults_CronJob` of kubernetes
 * `pkg/apis/batch/v1/defaults.go` (v1.33) and what the generated
 * `SetObjectDefaults_CronJob` adds below the job template: the pod
 * failure policy's `onPodConditions[].status` ("True") and the PodSpec
 * defaults of `spec.jobTemplate.spec.template`. `SetDefaults_Job` is not
 * applied to the template: its Job gets those when it is created.
 */
import type { CronJob, CronJobSpec } from 'kubernetes-types/batch/v1.js';
import { defaultPodTemplateSpec } from '../../defaults/defaults.ts';

export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

export function defaultCronJob(cj: CronJob): void {
  cj.spec ??= {} as CronJobSpec;
  const spec = cj.spec;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT;
  spec.failedJobsHistoryLimit ??= DEFAULT_FAILED_JOBS_HISTORY_LIMIT;
  // Go always encodes the (non-pointer) jobTemplate and its spec's template.
  spec.jobTemplate ??= {};
  spec.jobTemplate.spec ??= { template: {} };
  const jobSpec = spec.jobTemplate.spec;
  for (const rule of jobSpec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  jobSpec.template ??= {};
  defaultPodTemplateSpec(jobSpec.template);
}
