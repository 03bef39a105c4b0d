/**
 * backoffLimitPerIndex (kube-controller-manager
 * pkg/controller/job/indexed_job_utils.go): an index fails when its pod
 * fails past the index's limit (or by a FailIndex rule); until then its
 * last failed pod is kept (finalizer and all) until a replacement carries
 * its failure counts in the `job-index-failure-count` and
 * `job-index-ignored-failure-count` annotations, and the replacement waits
 * out the index's own backoff.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { podFinishedTime, remainingBackoffMs } from './backoff.ts';
import {
  annotationCount,
  completionIndexOf,
  has,
  indexFailureCountAnnotation,
  indexIgnoredFailureCountAnnotation,
  parseIntervals,
  unknownCompletionIndex,
  withIndexes,
  type Intervals,
} from './indexes.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { hasTrackingFinalizer, isPodFailed } from './pods.ts';
import { validPods, type SyncCtx } from './sync-ctx.ts';

/** isIndexFailed. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  let counted = false;
  if (isPodFailed(pod, job)) {
    if (job.spec?.podFailurePolicy) {
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (m.action === 'FailIndex') return true;
      counted = m.countFailed;
    } else counted = true;
  }
  return counted && annotationCount(pod, indexFailureCountAnnotation) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: the recorded ones and those failed since. */
export function failedIndexes(job: Job, pods: readonly Pod[]): Intervals {
  const c = job.spec?.completions ?? 0;
  const prev = job.status?.failedIndexes !== undefined ? parseIntervals(job.status.failedIndexes, c) : [];
  const fresh = pods
    .filter((p) => {
      const ix = completionIndexOf(p);
      return ix !== unknownCompletionIndex && ix < c && hasTrackingFinalizer(p) && isIndexFailed(job, p);
    })
    .map(completionIndexOf);
  return withIndexes(prev, fresh);
}

const absoluteFailures = (p: Pod) => annotationCount(p, indexFailureCountAnnotation) + annotationCount(p, indexIgnoredFailureCountAnnotation);

/** getPodsWithDelayedDeletionPerIndex: per pending index, its last failed pod. */
export function podsWithDelayedDeletion(ctx: SyncCtx): Map<number, Pod> {
  const activeIndexes = new Set(ctx.activePods.map(completionIndexOf));
  const out = new Map<number, Pod>();
  for (const p of validPods(ctx, undefined, (x) => isPodFailed(x, ctx.job))) {
    const ix = completionIndexOf(p);
    if (has(ctx.succeededIndexes, ix) || has(ctx.failedIndexes ?? [], ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (absoluteFailures(last) <= absoluteFailures(p) && podFinishedTime(p) >= podFinishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** getRemainingTimePerIndex: how long the index of `last` (its last failed pod) still backs off. */
export function indexBackoffMs(last: Pod | undefined, now: number): number {
  if (!last) return 0;
  return remainingBackoffMs(absoluteFailures(last) + 1, podFinishedTime(last), now);
}

/** addIndexFailureCountAnnotation: the failure counts of the pod being replaced, plus its own failure. */
export function addIndexFailureCounts(job: Job, template: PodTemplateSpec, replaced: Pod | undefined): void {
  let failures = 0;
  let ignored = 0;
  if (replaced) {
    failures = annotationCount(replaced, indexFailureCountAnnotation);
    ignored = annotationCount(replaced, indexIgnoredFailureCountAnnotation);
    if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) failures++;
    else ignored++;
  }
  template.metadata ??= {};
  const ann: Record<string, string> = { ...template.metadata.annotations, [indexFailureCountAnnotation]: String(failures) };
  if (ignored > 0) ann[indexIgnoredFailureCountAnnotation] = String(ignored);
  template.metadata.annotations = ann;
}
