/**
 * Job status tracking with finalizers (kube-controller-manager
 * job_controller.go trackJobStatusAndRemoveFinalizers,
 * flushUncountedAndRemoveFinalizers, enactJobFinished): finished pods'
 * UIDs go to status.uncountedTerminatedPods (completedIndexes for Indexed
 * Jobs) and the interim FailureTarget/SuccessCriteriaMet condition is
 * written, all in one status write, before any finalizer is removed; only
 * pods whose finalizer is gone move from the uncounted lists to
 * succeeded/failed; Failed/Complete is written once nothing is uncounted or
 * terminating, with its event. A crash between any two writes loses no
 * result and counts none twice.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder, ResourceClient } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import { ownerEventRef } from '../pod-template.ts';
import type { BackoffStore } from './backoff.ts';
import { cleanUncounted, encodeStatus, ensureCondition, hasBackoffLimitPerIndex, isIndexed, isTrue, jobKind, newCondition } from './job-status.ts';
import { completionIndexOf, formatIntervals, has, total, unknownCompletionIndex, withIndexes } from './indexes.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import type { JobPodWriter } from './pod-writes.ts';
import { hasTrackingFinalizer, isPodFailed } from './pods.ts';
import type { SyncCtx } from './sync-ctx.ts';

/** MaxUncountedPods: the most UIDs one pass adds to uncountedTerminatedPods. */
export const maxUncountedPods = 500;

export interface TrackingOptions {
  jobs: Pick<ResourceClient<Job>, 'updateStatus'>;
  writer: JobPodWriter;
  backoff: BackoffStore;
  recorder: Pick<EventRecorder, 'record'>;
  clock: Clock;
}

/** canRemoveFinalizer: the Job is going or finishing, the pod succeeded, or it failed (unless kept for its index's retry). */
function canRemoveFinalizer(ctx: SyncCtx, pod: Pod, failed: boolean): boolean {
  if (ctx.job.metadata?.deletionTimestamp || ctx.finished || pod.status?.phase === 'Succeeded') return true;
  if (!failed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const ix = completionIndexOf(pod);
    if (ix !== unknownCompletionIndex && ctx.delayedDeletion.get(ix)?.metadata?.uid === pod.metadata?.uid) return false;
  }
  return true;
}

/** enactJobFinished: the terminal condition once nothing is uncounted or terminating. */
function enactFinished(ctx: SyncCtx, job: Job): boolean {
  const cond = ctx.finished;
  if (!cond) return false;
  const u = job.status?.uncountedTerminatedPods ?? {};
  if ((u.succeeded ?? []).length + (u.failed ?? []).length > 0) return false;
  if (ctx.terminating > 0) return false;
  ensureCondition(job, cond);
  if (cond.type === 'Complete') job.status!.completionTime = cond.lastTransitionTime;
  return true;
}

/** recordJobFinished's events. */
function recordFinished(recorder: TrackingOptions['recorder'], job: Job, cond: JobCondition): void {
  const ref = ownerEventRef(job, jobKind);
  if (cond.type === 'Complete') {
    const c = job.spec?.completions;
    if (typeof c === 'number' && (job.status?.succeeded ?? 0) > c) {
      recorder.record(ref, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    recorder.record(ref, 'Normal', 'Completed', 'Job completed');
  } else {
    recorder.record(ref, 'Warning', cond.reason ?? '', cond.message ?? '');
  }
}

/** updateStatus of `job` as Go encodes JobStatus; later writes of the pass build on the stored version. */
function writeStatus(jobs: TrackingOptions['jobs'], job: Job): void {
  const written = jobs.updateStatus(job.metadata?.namespace, { ...job, status: encodeStatus(job.status!) });
  job.metadata = written.metadata;
}

/** trackJobStatusAndRemoveFinalizers (see the file comment); throws the first failed finalizer removal. */
export function trackJobStatus(ctx: SyncCtx, needsFlushIn: boolean, o: TrackingOptions): void {
  const job = ctx.job;
  const status = job.status!;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let needsFlush = needsFlushIn;
  const indexed = isIndexed(job);
  const completions = job.spec?.completions ?? 0;
  // Completed indexes are introduced in order.
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : ctx.pods;
  const withFinalizer = new Set<string>();
  for (const p of pods) {
    const uid = p.metadata?.uid ?? '';
    if (hasTrackingFinalizer(p) && !ctx.expectedRm.has(uid)) withFinalizer.add(uid);
  }
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;
  const toRemove: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of pods) {
    const uid = pod.metadata?.uid ?? '';
    // Processed by an earlier sync.
    if (!hasTrackingFinalizer(pod) || ctx.expectedRm.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, pod, failed)) continue;
    toRemove.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
      if (indexed) {
        // The index is enough to count a success once: no UIDs.
        const ix = completionIndexOf(pod);
        if (ix !== unknownCompletionIndex && ix < completions && !has(ctx.prevSucceededIndexes, ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncountedSucceeded.has(uid)) {
        needsFlush = true;
        uncounted.succeeded = [...(uncounted.succeeded ?? []), uid];
      }
    } else if (failed || (ctx.finished && ctx.finished.type !== 'SuccessCriteriaMet')) {
      // A finishing Job counts every pod not terminated as failed.
      const ix = completionIndexOf(pod);
      if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix !== unknownCompletionIndex && ix < completions))) {
        if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
          needsFlush = true;
          uncounted.failed = [...(uncounted.failed ?? []), uid];
        }
      }
    }
    if (newSucceededIndexes.length + (uncounted.succeeded ?? []).length + (uncounted.failed ?? []).length >= maxUncountedPods) {
      // The rest waits for the next sync, which this status write brings.
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, newSucceededIndexes);
    const s = formatIntervals(ctx.succeededIndexes);
    if (s !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = total(ctx.succeededIndexes);
    status.completedIndexes = s;
    const failedStr = ctx.failedIndexes ? formatIntervals(ctx.failedIndexes) : undefined;
    if (failedStr !== status.failedIndexes) {
      status.failedIndexes = failedStr;
      needsFlush = true;
    }
  }
  const now = o.clock.now();
  if (ctx.finished?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), ctx.finished];
    needsFlush = true;
    ctx.finished = newCondition('Failed', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
  }
  if (ctx.finished?.type === 'SuccessCriteriaMet') {
    if (!isTrue(job, 'SuccessCriteriaMet')) {
      status.conditions = [...(status.conditions ?? []), ctx.finished];
      needsFlush = true;
    }
    ctx.finished = newCondition('Complete', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
  }
  // 1. The uncounted UIDs and interim conditions, before any finalizer goes.
  if (needsFlush) {
    writeStatus(o.jobs, job);
    o.backoff.update(ctx.newBackoff);
    needsFlush = false;
  }
  // 2. The finalizers.
  let rmErr: Error | undefined;
  if (toRemove.length > 0) {
    const { removed, err } = o.writer.removeFinalizers(ctx.key, toRemove);
    for (const uid of removed) withFinalizer.delete(uid);
    rmErr = err;
  }
  // 3. Counted only once their finalizer is gone.
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;
  if (rmErr) {
    if (needsFlush) writeStatus(o.jobs, job);
    throw rmErr;
  }
  const finished = !reachedMax && enactFinished(ctx, job);
  if (finished) needsFlush = true;
  if (needsFlush) {
    writeStatus(o.jobs, job);
    if (finished) recordFinished(o.recorder, job, ctx.finished!);
  }
}
