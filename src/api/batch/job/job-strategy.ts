/**
 * Storage rules for batch/v1 Jobs (kube-apiserver `pkg/registry/batch/job`
 * strategy.go, v1.33): the workload rules (status reset on create and kept
 * by updates, generation grows with the spec) with `SetDefaults_Job`, the
 * generated selector and labels (unless manualSelector), the Job
 * validation, the pod template and name warnings and the
 * `status.successful` field selector.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { defaultJob, defaultJobLabels, generateJobSelector } from '../../defaults/defaults.ts';
import type { Strategy } from '../../kind.ts';
import { validateJob, validateJobStatusUpdate, validateJobUpdate } from '../../validation/validation.ts';
import { workloadStrategy, workloadWarnings } from '../../apps/workload-strategy.ts';

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
  warnings: workloadWarnings<Job>(true),
  selectableFields: ['status.successful'],
  fields: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),
});
