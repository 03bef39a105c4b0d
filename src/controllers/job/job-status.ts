/**
 * What a Job's spec and status say, and how its status changes, without
 * I/O (kube-controller-manager pkg/controller/job): conditions
 * (newCondition, ensureJobConditionStatus), the counters moving out of
 * uncountedTerminatedPods, the failure checks (backoffLimit with
 * OnFailure restarts, activeDeadlineSeconds, the FailJob message), and
 * JobStatus as Go encodes it.
 */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerKind } from '../controller-ref.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { isPodFailed } from './pods.ts';

export const jobKind: OwnerKind = { apiVersion: 'batch/v1', kind: 'Job' };

const jobManagedByController = 'kubernetes.io/job-controller';

export const isTrue = (job: Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
export const isJobFinished = (job: Job) => isTrue(job, 'Complete') || isTrue(job, 'Failed');
export const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';
export const hasBackoffLimitPerIndex = (job: Job) => isIndexed(job) && typeof job.spec?.backoffLimitPerIndex === 'number';
export const isSuspended = (job: Job) => job.spec?.suspend === true;

/** A Job managed by another controller (spec.managedBy), which this one leaves alone. */
export function managedElsewhere(job: Job): boolean {
  const by = job.spec?.managedBy;
  return by !== undefined && by !== jobManagedByController;
}

/** metav1.Time of `ms`: RFC 3339 to the second. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** newCondition: probe and transition at `now`. */
export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message } as JobCondition;
}

/** ensureJobConditionStatus: replaces a condition of the type when it differs; adds one only when not False. */
export function ensureCondition(job: Job, cond: JobCondition): boolean {
  const list = (job.status!.conditions ??= []);
  const i = list.findIndex((c) => c.type === cond.type);
  if (i >= 0) {
    const c = list[i];
    if (c.status !== cond.status || (c.reason ?? '') !== (cond.reason ?? '') || (c.message ?? '') !== (cond.message ?? '')) {
      list[i] = cond;
      return true;
    }
    return false;
  }
  if (cond.status !== 'False') {
    list.push(cond);
    return true;
  }
  return false;
}

/** cleanUncountedPodsWithoutFinalizers: UIDs whose pod no longer holds the finalizer move to the counters. */
export function cleanUncounted(status: JobStatus, withFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const s = (u.succeeded ?? []).filter((x) => withFinalizer.has(x));
  if (s.length !== (u.succeeded ?? []).length) {
    changed = true;
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - s.length;
    u.succeeded = s;
  }
  const f = (u.failed ?? []).filter((x) => withFinalizer.has(x));
  if (f.length !== (u.failed ?? []).length) {
    changed = true;
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - f.length;
    u.failed = f;
  }
  return changed;
}

/** pastBackoffLimitOnFailure: container restarts of running and pending pods reach backoffLimit (OnFailure only). */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** pastActiveDeadline: never while suspended or not started. */
export function pastActiveDeadline(job: Job, now: number): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  if (typeof ads !== 'number' || !job.status?.startTime || isSuspended(job)) return false;
  return now - Date.parse(job.status.startTime) >= ads * 1000;
}

/** getFailJobMessage: the message of the first failed pod a FailJob rule matches. */
export function failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
    if (m.failJobMessage !== undefined) return m.failJobMessage;
  }
  return undefined;
}

/** JobStatus as Go encodes it: counts omitempty, ready/terminating pointers, empty uncounted lists omitted. */
export function encodeStatus(status: JobStatus): JobStatus {
  const out: JobStatus = {};
  if (status.conditions?.length) out.conditions = status.conditions;
  if (status.startTime) out.startTime = status.startTime;
  if (status.completionTime) out.completionTime = status.completionTime;
  if (status.active) out.active = status.active;
  if (status.succeeded) out.succeeded = status.succeeded;
  if (status.failed) out.failed = status.failed;
  if (status.terminating !== undefined) out.terminating = status.terminating;
  if (status.completedIndexes) out.completedIndexes = status.completedIndexes;
  if (status.failedIndexes !== undefined) out.failedIndexes = status.failedIndexes;
  const u = status.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}),
    ...(u.failed?.length ? { failed: u.failed } : {}),
  };
  if (status.ready !== undefined) out.ready = status.ready;
  return out;
}
