/**
 * Storage rules for batch/v1 CronJobs (kube-apiserver `pkg/registry/batch/cronjob`
 * strategy.go, v1.33): the workload rules (status reset on create and kept
 * by updates, generation grows with the spec) with `SetDefaults_CronJob`,
 * the CronJob validation, and the warnings: on create a name that is not a
 * DNS label and the job template's (`WarningsForJobSpec`); on update the
 * job template's when the generation moved, and a schedule still using
 * `TZ=`/`CRON_TZ=` (which only an update may keep).
 */
import type { CronJob, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { validateCronJob, validateCronJobStatusUpdate, validateCronJobUpdate } from '../../validation/validation.ts';
import { podNameWarnings, podTemplateWarnings, workloadStrategy } from '../../apps/workload-strategy.ts';
import { defaultCronJob } from './cronjob-defaults.ts';

const jobSpecPath = 'spec.jobTemplate.spec';

/** `WarningsForJobSpec` (pkg/api/job/warnings.go): Indexed Jobs too large to track, then the pod template's. */
export function jobSpecWarnings(spec: JobSpec | undefined, path: string): string[] {
  const warnings: string[] = [];
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > 100_000 && (spec.parallelism ?? 0) > 10_000) {
    warnings.push(
      `${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`,
    );
  }
  warnings.push(...podTemplateWarnings(spec?.template, `${path}.template`));
  return warnings;
}

function cronJobWarnings(cj: Stored<CronJob>, old?: Stored<CronJob>): string[] {
  if (!old) return [...podNameWarnings(cj.metadata.name), ...jobSpecWarnings(cj.spec?.jobTemplate?.spec, jobSpecPath)];
  const warnings = cj.metadata.generation !== old.metadata.generation ? jobSpecWarnings(cj.spec?.jobTemplate?.spec, jobSpecPath) : [];
  // Upstream names the field `spec.spec.schedule` in this text.
  if (cj.spec?.schedule?.includes('TZ')) {
    warnings.push('cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details');
  }
  return warnings;
}

export const cronJobStrategy: Strategy<CronJob> = workloadStrategy<CronJob>({
  defaults: (cj) => defaultCronJob(cj),
  validate: (cj) => validateCronJob(cj),
  validateUpdate: (cj, old) => validateCronJobUpdate(cj, old),
  validateStatusUpdate: (cj, old) => validateCronJobStatusUpdate(cj, old),
  warnings: cronJobWarnings,
});
