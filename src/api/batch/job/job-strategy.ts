/**
 * Storage rules for batch/v1 Jobs (kube-apiserver `pkg/registry/batch/job`
 * strategy.go, v1.33): the workload rules (status reset on create and kept
 * by updates, generation grows with the spec) with `SetDefaults_Job`, the
 * generated selector and labels (unless manualSelector), the Job
 * validation, the Job spec and name warnings and the
 * `status.successful` field selector.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { defaultJob, defaultJobLabels, generateJobSelector } from '../../defaults/defaults.ts';
import type { Strategy } from '../../kind.ts';
import { validateJob, validateJobStatusUpdate, validateJobUpdate } from '../../validation/validation.ts';
import { podNameWarnings, podTemplateWarnings, workloadStrategy } from '../../apps/workload-strategy.ts';

/**
 * `WarningsForJobSpec` (pkg/api/job/warnings.go): huge Indexed Jobs, and the
 * pod template's warnings.
 */
function jobSpecWarnings(job: Job): string[] {
  const warnings: string[] = [];
  const spec = job.spec;
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > 100_000 && (spec.parallelism ?? 0) > 10_000) {
    warnings.push(
      'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
    );
  }
  return [...warnings, ...podTemplateWarnings(spec?.template)];
}

export const jobStrategy: Strategy<Job> = workloadStrategy<Job>({
  defaults: (job) => defaultJob(job),
  prepareForCreate(job) {
    generateJobSelector(job);
    defaultJobLabels(job);
  },
  prepareForUpdate(job) {
    defaultJobLabels(job);
  },
  validate: (job) => validateJob(job),
  validateUpdate: (job, old) => validateJobUpdate(job, old),
  validateStatusUpdate: (job, old) => validateJobStatusUpdate(job, old),
  annotationsBumpGeneration: false,
  // On create the name and the spec; on update the spec, only when the generation moved.
  warnings: (job, old) => (old ? (job.metadata.generation !== old.metadata.generation ? jobSpecWarnings(job) : []) : [...podNameWarnings(job.metadata.name), ...jobSpecWarnings(job)]),
  selectableFields: ['status.successful'],
  fields: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),
});
