/**
 * Scheme defaults for batch/v1 Jobs: `SetDefaults_Job` of kubernetes
 * `pkg/apis/batch/v1/defaults.go` (v1.33) and the pod template's PodSpec
 * defaults, plus the Job registry's `generateSelector`
 * (pkg/registry/batch/job/strategy.go): the `batch.kubernetes.io/controller-uid`
 * selector and the four identifying labels on the template.
 */
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import { defaultPodTemplateSpec } from './apps-defaults.ts';

export const DEFAULT_BACKOFF_LIMIT = 6;
export const MAX_INT32 = 2147483647;

export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const JobNameLabel = 'batch.kubernetes.io/job-name';
export const LegacyControllerUidLabel = 'controller-uid';
export const LegacyJobNameLabel = 'job-name';

/** `SetDefaults_Job` (without the job-labels-from-template copy, see `defaultJobLabels`). */
export function defaultJob(job: Job): void {
  job.spec ??= {} as JobSpec;
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}

/**
 * `SetDefaults_Job`'s "labels from the template when the Job has none": Go
 * applies it every time the object is decoded, so a Job read back after
 * creation carries its template's labels, generated ones included.
 */
export function defaultJobLabels(job: Job): void {
  const labels = job.spec?.template?.metadata?.labels;
  if (labels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    job.metadata ??= {};
    job.metadata.labels = { ...labels };
  }
}

/** generateSelectorIfNeeded: unless manualSelector, the uid selector and the identifying template labels (kept when set). */
export function generateJobSelector(job: Job): void {
  if (job.spec?.manualSelector === true) return;
  const spec = (job.spec ??= {} as JobSpec);
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  const labels = (meta.labels ??= {});
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  for (const k of [LegacyJobNameLabel, JobNameLabel]) if (!Object.hasOwn(labels, k)) labels[k] = name;
  for (const k of [LegacyControllerUidLabel, ControllerUidLabel]) if (!Object.hasOwn(labels, k)) labels[k] = uid;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  if (!Object.hasOwn(spec.selector.matchLabels, ControllerUidLabel)) spec.selector.matchLabels[ControllerUidLabel] = uid;
}
