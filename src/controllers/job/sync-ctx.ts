/**
 * What one sync of one Job knows (upstream's syncJobCtx): its pods as the
 * cache shows them, the counts and indexes worked out from them, the
 * condition it is finishing with, and when to look again.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { BackoffRecord } from './backoff.ts';
import { isIndexed } from './job-status.ts';
import { completionIndexOf, unknownCompletionIndex, type Intervals } from './indexes.ts';
import { hasTrackingFinalizer } from './pods.ts';

export interface SyncCtx {
  /** A copy of the cached Job; its status is what this sync writes. */
  job: Job;
  key: string;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  /** Pods whose finalizer removal this controller awaits: their cached copies are stale. */
  expectedRm: Set<string>;
  newBackoff: BackoffRecord;
  /** The condition the Job is finishing with: FailureTarget/SuccessCriteriaMet first, then Failed/Complete. */
  finished?: JobCondition;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  failedIndexes?: Intervals;
  /** Per index, the failed pod kept until its replacement carries its failure count (backoffLimitPerIndex). */
  delayedDeletion: Map<number, Pod>;
  requeueMs?: number;
}

/** Asks for another sync after `ms` (the soonest asked for wins). */
export function requeue(ctx: SyncCtx, ms: number): void {
  ctx.requeueMs = ctx.requeueMs === undefined ? ms : Math.min(ctx.requeueMs, ms);
}

/** getValidPodsWithFilter: pods still holding the finalizer, not in `uncounted`, not awaiting finalizer removal, with a valid index when Indexed. */
export function validPods(ctx: SyncCtx, uncounted: Set<string> | undefined, filter: (p: Pod) => boolean): Pod[] {
  const completions = ctx.job.spec?.completions ?? 0;
  return ctx.pods.filter((p) => {
    const uid = p.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted?.has(uid) || ctx.expectedRm.has(uid)) return false;
    if (isIndexed(ctx.job)) {
      const ix = completionIndexOf(p);
      if (ix === unknownCompletionIndex || ix >= completions) return false;
    }
    return filter(p);
  });
}
