/**
 * Which finished Jobs a CronJob deletes (kube-controller-manager
 * pkg/controller/cronjob `cleanupFinishedJobs` and `removeOldestJobs`,
 * v1.33): the Jobs whose Complete (or Failed) condition is True beyond
 * successfulJobsHistoryLimit (failedJobsHistoryLimit), oldest first by
 * status.startTime (Jobs without one last, names breaking ties); and the
 * finished-state helpers the controller shares (jobutil's IsJobFinished,
 * FinishedCondition, IsJobSucceeded).
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';

/** The first Complete or Failed condition that is True, if any (`getFinishedStatus`). */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export const isJobFinished = (job: Job) => finishedCondition(job) !== undefined;

export const isJobSucceeded = (job: Job) => (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');

/** `byJobStartTime`: started Jobs first, earliest first; then by name. */
export function byJobStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime ? Date.parse(a.status.startTime) : undefined;
  const sb = b.status?.startTime ? Date.parse(b.status.startTime) : undefined;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
  return (sa ?? 0) - (sb ?? 0);
}

function oldestBeyond(jobs: Job[], limit: number): Job[] {
  const n = jobs.length - limit;
  return n <= 0 ? [] : [...jobs].sort(byJobStartTime).slice(0, n);
}

/** The Jobs to delete, successful ones first, each group oldest first. Nothing when neither limit is set. */
export function jobsBeyondHistoryLimits(cj: CronJob, jobs: readonly Job[]): Job[] {
  const successfulLimit = cj.spec?.successfulJobsHistoryLimit;
  const failedLimit = cj.spec?.failedJobsHistoryLimit;
  const successful = jobs.filter((j) => finishedCondition(j) === 'Complete');
  const failed = jobs.filter((j) => finishedCondition(j) === 'Failed');
  return [
    ...(typeof successfulLimit === 'number' ? oldestBeyond(successful, successfulLimit) : []),
    ...(typeof failedLimit === 'number' ? oldestBeyond(failed, failedLimit) : []),
  ];
}
