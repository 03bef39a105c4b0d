/**
 * One reconcile of one Job (kube-controller-manager
 * pkg/controller/job/job_controller.go `syncJob`, v1.33), reading the
 * informers' caches and writing through the client:
 *
 *   1. gone → forget its expectations and backoff; finished → nothing more;
 *   2. claim its pods; count active, ready, terminating, and the finished
 *      pods not yet in the status (those still holding the tracking
 *      finalizer, outside uncountedTerminatedPods and not awaiting their
 *      finalizer removal);
 *   3. decide whether the Job is done: SuccessCriteriaMet already written
 *      → Complete; FailureTarget written → Failed; a FailJob rule of the pod
 *      failure policy, backoffLimit, activeDeadlineSeconds, maxFailedIndexes
 *      or failed indexes → FailureTarget; a met successPolicy → SuccessCriteriaMet;
 *   4. a finishing Job deletes its active pods; a running one creates or
 *      deletes pods towards min(parallelism, completions − succeeded) after
 *      the failure backoff, or deletes all while suspended (and writes the
 *      Suspended condition); enough successes → SuccessCriteriaMet;
 *   5. tracking (trackJobStatusAndRemoveFinalizers): finished pods' UIDs go
 *      to status.uncountedTerminatedPods (or completedIndexes) in one status
 *      write, only then their finalizers are removed, and only pods whose
 *      finalizer is gone move from the uncounted lists to succeeded/failed;
 *      the interim FailureTarget/SuccessCriteriaMet is written before any
 *      finalizer goes, and Failed/Complete only once nothing is uncounted
 *      or terminating. So a crash at any point loses no result and counts
 *      none twice.
 *
 * State: the expectations and backoff records it is given (in memory; at a
 * restart the store is the truth and nothing is lost, only the backoff
 * starts anew, as upstream's).
 */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { ControllerClient, EventRecorder } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import { ControllerRefManager, newControllerRef, recheckOwner, type OwnerKind } from '../controller-ref.ts';
import type { ControllerExpectations } from '../expectations.ts';
import { selectorFromLabelSelector, type Selector } from '../label-selector.ts';
import type { Lister } from '../lister.ts';
import { splitKey } from '../object-key.ts';
import { isNamespaceTerminating, ownerEventRef, type PodControl } from '../pod-template.ts';
import type { ReconcileResult } from '../queue-controller.ts';
import { nextBackoffRecord, podFinishedTime, remainingBackoffMs, type BackoffRecord, type BackoffStore } from './backoff.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import {
  addCompletionIndex,
  addCompletionIndexEnv,
  annotationCount,
  completionIndexOf,
  firstPendingIndexes,
  formatIntervals,
  has,
  indexFailureCountAnnotation,
  indexIgnoredFailureCountAnnotation,
  merge,
  parseIntervals,
  podGenerateNameWithIndex,
  total,
  unknownCompletionIndex,
  withIndexes,
  type Intervals,
} from './indexes.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { compareForRemoval, hasTrackingFinalizer, isPodActive, isPodFailed, isPodReady, isPodTerminating, jobTrackingFinalizer, onlyReplaceFailedPods } from './pods.ts';
import { matchSuccessPolicy } from './success-policy.ts';

export const jobKind: OwnerKind = { apiVersion: 'batch/v1', kind: 'Job' };

/** MaxUncountedPods: the most UIDs one status write adds to uncountedTerminatedPods. */
export const maxUncountedPods = 500;
/** MaxPodCreateDeletePerSync. */
export const maxPodCreateDeletePerSync = 500;
/** syncJobBatchPeriod: pod events reach a Job after this delay, batched. */
export const syncJobBatchPeriodMs = 1000;

const jobManagedByController = 'kubernetes.io/job-controller';

export interface JobSyncOptions {
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  client: Pick<ControllerClient, 'resource'>;
  podControl: PodControl;
  recorder: Pick<EventRecorder, 'record'>;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  clock: Clock;
  log?: (msg: string) => void;
}

interface SyncCtx {
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
  expectedRm: Set<string>;
  newBackoff: BackoffRecord;
  finished?: JobCondition;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  failedIndexes?: Intervals;
  delayedDeletion: Map<number, Pod>;
  requeueMs?: number;
}

const isTrue = (job: Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
export const isJobFinished = (job: Job) => isTrue(job, 'Complete') || isTrue(job, 'Failed');
const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';
const hasBackoffLimitPerIndex = (job: Job) => isIndexed(job) && typeof job.spec?.backoffLimitPerIndex === 'number';
const isSuspended = (job: Job) => job.spec?.suspend === true;

/** A Job managed by another controller (spec.managedBy), which this one leaves alone. */
export function managedElsewhere(job: Job): boolean {
  const by = job.spec?.managedBy;
  return by !== undefined && by !== jobManagedByController;
}

export class JobSync {
  readonly #o: JobSyncOptions;

  constructor(opts: JobSyncOptions) {
    this.#o = opts;
  }

  #now(): string {
    return new Date(this.#o.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  #condition(type: string, status: 'True' | 'False', reason: string, message: string): JobCondition {
    const now = this.#now();
    return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message } as JobCondition;
  }

  /** newFailureCondition: FailureTarget, as v1.33 delays the terminal condition. */
  #failure(reason: string, message: string): JobCondition {
    return this.#condition('FailureTarget', 'True', reason, message);
  }

  sync(key: string): ReconcileResult | void {
    const { jobs, expectations, finalizerExpectations, backoff, clock } = this.#o;
    const { namespace, name } = splitKey(key);
    const shared = jobs.get(namespace, name);
    if (!shared) {
      expectations.delete(key);
      finalizerExpectations.delete(key);
      backoff.remove(key);
      return;
    }
    if (managedElsewhere(shared)) return;
    if (isJobFinished(shared)) {
      backoff.remove(key);
      return;
    }
    const job = structuredClone(shared);
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.#o.recorder.record(ownerEventRef(job, jobKind), 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    job.status ??= {};
    job.status.uncountedTerminatedPods ??= {};
    const satisfied = expectations.satisfied(key);
    const pods = this.#podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const uncounted = job.status.uncountedTerminatedPods;
    const ctx: SyncCtx = {
      job,
      key,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(uncounted.succeeded ?? []),
      uncountedFailed: new Set(uncounted.failed ?? []),
      expectedRm: finalizerExpectations.expected(key),
      newBackoff: backoff.get(key),
      prevSucceededIndexes: [],
      succeededIndexes: [],
      delayedDeletion: new Map(),
    };
    let active = activePods.length;
    const newSucceeded = this.#validPods(ctx, ctx.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.#validPods(ctx, ctx.uncountedFailed, (p) => isPodFailed(p, job));
    ctx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    const nonIgnored = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    ctx.failed = (job.status.failed ?? 0) + nonIgnored + ctx.uncountedFailed.size;

    if (!job.status.startTime && !isSuspended(job)) job.status.startTime = this.#now();
    ctx.newBackoff = nextBackoffRecord(backoff.get(key), newSucceeded, newFailed);

    const conds = job.status.conditions ?? [];
    const scm = conds.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    if (scm) ctx.finished = scm;
    if (!ctx.finished) {
      const ft = conds.find((c) => c.type === 'FailureTarget' && c.status === 'True');
      if (ft) ctx.finished = this.#condition('Failed', 'True', ft.reason ?? '', ft.message ?? '');
      else {
        const msg = this.#failJobMessage(job, pods);
        if (msg !== undefined) ctx.finished = this.#failure('PodFailurePolicy', msg);
      }
    }
    if (!ctx.finished) {
      if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finished = this.#failure('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (this.#pastActiveDeadline(job)) {
        ctx.finished = this.#failure('DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (typeof job.spec?.activeDeadlineSeconds === 'number' && !isSuspended(job)) {
        const left = job.spec.activeDeadlineSeconds * 1000 - (clock.now() - Date.parse(job.status.startTime!));
        this.#requeue(ctx, left);
      }
    }

    const completions = job.spec?.completions;
    if (isIndexed(job)) {
      const c = completions ?? 0;
      ctx.prevSucceededIndexes = parseIntervals(job.status.completedIndexes, c);
      const fresh = pods
        .filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p))
        .map(completionIndexOf)
        .filter((ix) => ix !== unknownCompletionIndex && ix < c);
      ctx.succeededIndexes = withIndexes(ctx.prevSucceededIndexes, fresh);
      ctx.succeeded = total(ctx.succeededIndexes);
      if (hasBackoffLimitPerIndex(job)) {
        ctx.failedIndexes = this.#failedIndexes(job, pods);
        if (!ctx.finished) {
          const failedN = total(ctx.failedIndexes);
          if (typeof job.spec?.maxFailedIndexes === 'number' && failedN > job.spec.maxFailedIndexes) {
            ctx.finished = this.#failure('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');
          } else if (failedN > 0 && failedN + total(ctx.succeededIndexes) >= c) {
            ctx.finished = this.#failure('FailedIndexes', 'Job has failed indexes');
          }
        }
        ctx.delayedDeletion = this.#podsWithDelayedDeletion(ctx);
      }
      if (!ctx.finished) {
        const msg = matchSuccessPolicy(job.spec?.successPolicy, c, ctx.succeededIndexes);
        if (msg !== undefined) ctx.finished = this.#condition('SuccessCriteriaMet', 'True', 'SuccessPolicy', msg);
      }
    }

    let suspendChanged = false;
    let manageErr: Error | undefined;
    if (ctx.finished) {
      const { deleted, deletedReady, err } = this.#deleteActivePods(job, ctx.activePods);
      // Pods not yet gone, or not yet seen: not finished yet.
      if (deleted !== active || !satisfied) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageErr = err;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const r = this.#manageJob(job, ctx);
        active = r.active;
        manageErr = r.err;
        managed = true;
      }
      const complete = completions === undefined || completions === null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finished = this.#condition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
      } else if (managed) {
        if (isSuspended(job)) {
          if (ensureCondition(job, this.#condition('Suspended', 'True', 'JobSuspended', 'Job suspended'))) {
            suspendChanged = true;
            this.#o.recorder.record(ownerEventRef(job, jobKind), 'Normal', 'Suspended', 'Job suspended');
          }
          // A suspended Job with no pods left has not started: resuming starts it anew (status validation refuses other startTime changes).
          if (ctx.terminating === 0 && active === 0) delete job.status.startTime;
        } else if (ensureCondition(job, this.#condition('Suspended', 'False', 'JobResumed', 'Job resumed'))) {
          suspendChanged = true;
          this.#o.recorder.record(ownerEventRef(job, jobKind), 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts the time continuously active.
          job.status.startTime = this.#now();
        }
      }
    }

    const needsUpdate =
      suspendChanged ||
      active !== (shared.status?.active ?? 0) ||
      ctx.ready !== shared.status?.ready ||
      ctx.terminating !== shared.status?.terminating ||
      job.status.startTime !== shared.status?.startTime;
    job.status.active = active;
    job.status.ready = ctx.ready;
    job.status.terminating = ctx.terminating;
    this.#trackStatus(ctx, needsUpdate);
    if (manageErr) throw manageErr;
    return ctx.requeueMs !== undefined ? { requeueAfterMs: Math.max(0, ctx.requeueMs) } : undefined;
  }

  #requeue(ctx: SyncCtx, ms: number): void {
    ctx.requeueMs = ctx.requeueMs === undefined ? ms : Math.min(ctx.requeueMs, ms);
  }

  /** getPodsForJob: the namespace's pods claimed by selector and controller ref (adoption as the ReplicaSet's). */
  #podsForJob(job: Job): Pod[] {
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(job.spec?.selector);
    } catch (err) {
      throw new Error(`couldn't convert Job selector: ${(err as Error).message}`);
    }
    const jobsClient = this.#o.client.resource('jobs');
    const manager = new ControllerRefManager<Job, Pod>({
      owner: job,
      ownerKind: jobKind,
      selector,
      client: this.#o.client.resource('pods'),
      canAdopt: recheckOwner(jobsClient, job, 'Job'),
    });
    const uid = job.metadata?.uid;
    const before = new Set(this.#o.pods.listInNamespace(job.metadata?.namespace ?? '').filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === uid)).map((p) => p.metadata?.uid));
    const claimed = manager.claimOrThrow(this.#o.pods.listInNamespace(job.metadata?.namespace ?? ''));
    // Adopted pods are tracked from now on (upstream adds the finalizer with the adoption).
    return claimed.map((p) => {
      if (before.has(p.metadata?.uid) || hasTrackingFinalizer(p)) return p;
      try {
        return this.#withFinalizers(p, (f) => [...f, jobTrackingFinalizer]) ?? p;
      } catch {
        return p;
      }
    });
  }

  /** getValidPodsWithFilter: pods still holding the finalizer, not in `uncounted`, not awaiting finalizer removal, with a valid index when Indexed. */
  #validPods(ctx: SyncCtx, uncounted: Set<string> | undefined, filter: (p: Pod) => boolean): Pod[] {
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

  #failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
      if (m.failJobMessage !== undefined) return m.failJobMessage;
    }
    return undefined;
  }

  #pastActiveDeadline(job: Job): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    if (typeof ads !== 'number' || !job.status?.startTime || isSuspended(job)) return false;
    return this.#o.clock.now() - Date.parse(job.status.startTime) >= ads * 1000;
  }

  /** isIndexFailed. */
  #isIndexFailed(job: Job, pod: Pod): boolean {
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

  /** calculateFailedIndexes. */
  #failedIndexes(job: Job, pods: readonly Pod[]): Intervals {
    const c = job.spec?.completions ?? 0;
    const prev = job.status?.failedIndexes !== undefined ? parseIntervals(job.status.failedIndexes, c) : [];
    const fresh = pods
      .filter((p) => {
        const ix = completionIndexOf(p);
        return ix !== unknownCompletionIndex && ix < c && hasTrackingFinalizer(p) && this.#isIndexFailed(job, p);
      })
      .map(completionIndexOf);
    return withIndexes(prev, fresh);
  }

  /** getPodsWithDelayedDeletionPerIndex: per pending index, its last failed pod, kept until a replacement carries its failure count. */
  #podsWithDelayedDeletion(ctx: SyncCtx): Map<number, Pod> {
    const activeIndexes = new Set(ctx.activePods.map(completionIndexOf));
    const out = new Map<number, Pod>();
    const abs = (p: Pod) => annotationCount(p, indexFailureCountAnnotation) + annotationCount(p, indexIgnoredFailureCountAnnotation);
    for (const p of this.#validPods(ctx, undefined, (x) => isPodFailed(x, ctx.job))) {
      const ix = completionIndexOf(p);
      if (has(ctx.succeededIndexes, ix) || has(ctx.failedIndexes ?? [], ix) || activeIndexes.has(ix)) continue;
      const last = out.get(ix);
      if (!last || (abs(last) <= abs(p) && podFinishedTime(p) >= podFinishedTime(last))) out.set(ix, p);
    }
    return out;
  }

  /** deleteActivePods: deletion keeps the finalizers; tracking removes them once counted. */
  #deleteActivePods(job: Job, pods: readonly Pod[]): { deleted: number; deletedReady: number; err?: Error } {
    let deleted = 0;
    let deletedReady = 0;
    let err: Error | undefined;
    for (const p of pods) {
      try {
        this.#o.podControl.deletePod(job.metadata?.namespace ?? '', p.metadata?.name ?? '', job, jobKind);
        deleted++;
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) deleted++;
        else err ??= e as Error;
      }
      if (isPodReady(p)) deletedReady++;
    }
    return { deleted, deletedReady, err };
  }

  /** deleteJobPods: finalizer removed first, then the delete; failures lower the expectations. */
  #deleteJobPods(job: Job, pods: readonly Pod[]): { removed: number; removedReady: number; err?: Error } {
    let removed = pods.length;
    let removedReady = 0;
    let err: Error | undefined;
    const fail = (e: unknown) => {
      this.#o.expectations.deletionObserved(this.#keyOf(job));
      if (!(e instanceof ApiError && e.code === 404)) {
        removed--;
        err ??= e as Error;
      }
    };
    for (const p of pods) {
      try {
        this.#withFinalizers(p, (f) => f.filter((x) => x !== jobTrackingFinalizer));
      } catch (e) {
        fail(e instanceof ApiError ? e : new Error(`removing completion finalizer: ${(e as Error).message}`));
        continue;
      }
      try {
        this.#o.podControl.deletePod(job.metadata?.namespace ?? '', p.metadata?.name ?? '', job, jobKind);
      } catch (e) {
        fail(e);
      }
      if (isPodReady(p)) removedReady++;
    }
    return { removed, removedReady, err };
  }

  #keyOf(job: Job): string {
    return `${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`;
  }

  /** activePodsForRemoval: for Indexed Jobs first the pods of unknown, out-of-range or repeated indexes. */
  #activePodsForRemoval(job: Job, pods: readonly Pod[], atLeast: number): Pod[] {
    let rm: Pod[] = [];
    let left: Pod[] = [...pods];
    if (isIndexed(job)) {
      const c = job.spec?.completions ?? 0;
      left = [];
      const byIndex = new Map<number, Pod[]>();
      for (const p of pods) {
        const ix = completionIndexOf(p);
        if (ix === unknownCompletionIndex || ix >= c) rm.push(p);
        else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
      }
      for (const group of byIndex.values()) {
        const sorted = [...group].sort(compareForRemoval);
        rm.push(...sorted.slice(0, -1));
        left.push(sorted[sorted.length - 1]);
      }
    }
    if (rm.length < atLeast) {
      left.sort(compareForRemoval);
      rm = [...rm, ...left.slice(0, atLeast - rm.length)];
    }
    return rm;
  }

  #manageJob(job: Job, ctx: SyncCtx): { active: number; err?: Error } {
    const { expectations, clock } = this.#o;
    const key = ctx.key;
    let active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (isSuspended(job)) {
      const victims = this.#activePodsForRemoval(job, ctx.activePods, active);
      expectations.expectDeletions(key, victims.length);
      const r = this.#deleteJobPods(job, victims);
      ctx.terminating += r.removed;
      ctx.ready -= r.removedReady;
      return { active: active - r.removed, err: r.err };
    }
    const completions = job.spec?.completions;
    let want: number;
    if (completions === undefined || completions === null) want = ctx.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

    const victims = this.#activePodsForRemoval(job, ctx.activePods, Math.max(0, active - want)).slice(0, maxPodCreateDeletePerSync);
    if (victims.length > 0) {
      expectations.expectDeletions(key, victims.length);
      const r = this.#deleteJobPods(job, victims);
      ctx.terminating += r.removed;
      ctx.ready -= r.removedReady;
      // Deletions take precedence: no creations in the same pass.
      return { active: active - r.removed, err: r.err };
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return { active };
    if (!hasBackoffLimitPerIndex(job)) {
      const wait = remainingBackoffMs(ctx.newBackoff.failuresAfterLastSuccess, ctx.newBackoff.lastFailureTime, clock.now());
      if (wait > 0) {
        this.#requeue(ctx, Math.max(wait, syncJobBatchPeriodMs));
        return { active };
      }
    }
    diff = Math.min(diff, maxPodCreateDeletePerSync);
    let indexes: number[] = [];
    if (isIndexed(job)) {
      const c = completions ?? 0;
      let nonPending = withIndexes(ctx.succeededIndexes, ctx.activePods.map(completionIndexOf).filter((ix) => ix >= 0));
      if (ctx.failedIndexes) nonPending = merge(nonPending, ctx.failedIndexes);
      if (onlyReplaceFailedPods(job)) nonPending = withIndexes(nonPending, ctx.pods.filter(isPodTerminating).map(completionIndexOf).filter((ix) => ix >= 0));
      indexes = firstPendingIndexes(nonPending, diff, c);
      if (hasBackoffLimitPerIndex(job)) {
        const now = clock.now();
        const ready: number[] = [];
        let minWait: number | undefined;
        for (const ix of indexes) {
          const last = ctx.delayedDeletion.get(ix);
          const wait = last ? remainingBackoffMs(annotationCount(last, indexFailureCountAnnotation) + annotationCount(last, indexIgnoredFailureCountAnnotation) + 1, podFinishedTime(last), now) : 0;
          if (wait === 0) ready.push(ix);
          else if (minWait === undefined || wait < minWait) minWait = wait;
        }
        if (ready.length === 0 && minWait !== undefined) {
          this.#requeue(ctx, Math.max(minWait, syncJobBatchPeriodMs));
          return { active };
        }
        indexes = ready;
      }
      diff = indexes.length;
    }
    if (diff <= 0) return { active };

    expectations.expectCreations(key, diff);
    const base: PodTemplateSpec = structuredClone(job.spec?.template ?? {});
    base.spec ??= { containers: [] };
    if (isIndexed(job)) addCompletionIndexEnv(base);
    base.metadata ??= {};
    if (!(base.metadata.finalizers ?? []).includes(jobTrackingFinalizer)) base.metadata.finalizers = [...(base.metadata.finalizers ?? []), jobTrackingFinalizer];
    const controllerRef = newControllerRef(job, jobKind);
    const namespace = job.metadata?.namespace ?? '';
    let err: Error | undefined;
    for (let i = 0; i < diff; i++) {
      let template = base;
      let generateName: string | undefined;
      if (isIndexed(job)) {
        const ix = indexes[i];
        template = structuredClone(base);
        addCompletionIndex(template, job.metadata?.name ?? '', ix);
        generateName = podGenerateNameWithIndex(job.metadata?.name ?? '', ix);
        if (hasBackoffLimitPerIndex(job)) this.#addIndexFailureCounts(job, template, ctx.delayedDeletion.get(ix));
      }
      try {
        this.#o.podControl.createPod({ namespace, template, owner: job, ownerKind: jobKind, controllerRef, generateName });
        active++;
      } catch (e) {
        if (isNamespaceTerminating(e)) {
          active++;
          continue;
        }
        err = e as Error;
        // Slow start: after a failure the rest is not tried; none of them will be observed.
        for (let k = i; k < diff; k++) expectations.creationObserved(key);
        break;
      }
    }
    return { active, err };
  }

  /** addIndexFailureCountAnnotation: the failure counts of the pod being replaced, plus its own failure. */
  #addIndexFailureCounts(job: Job, template: PodTemplateSpec, replaced: Pod | undefined): void {
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

  /** Writes the pod's finalizers as `change` makes them of a fresh read; undefined when the pod is gone. */
  #withFinalizers(pod: Pod, change: (f: string[]) => string[]): Pod | undefined {
    const pods = this.#o.client.resource('pods');
    for (let attempt = 0; ; attempt++) {
      const fresh = pods.get(pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (!fresh || fresh.metadata?.uid !== pod.metadata?.uid) return undefined;
      const next = change(fresh.metadata?.finalizers ?? []);
      if (JSON.stringify(next) === JSON.stringify(fresh.metadata?.finalizers ?? [])) return fresh;
      try {
        return pods.update(fresh.metadata?.namespace, { ...fresh, metadata: withFinalizerList(fresh.metadata ?? {}, next) });
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        if (!(err instanceof ApiError && err.code === 409) || attempt >= 3) throw err;
      }
    }
  }

  /** trackJobStatusAndRemoveFinalizers (see the file comment, step 5). */
  #trackStatus(ctx: SyncCtx, needsFlushIn: boolean): void {
    const job = ctx.job;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    let needsFlush = needsFlushIn;
    const indexed = isIndexed(job);
    const completions = job.spec?.completions ?? 0;
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
      if (!hasTrackingFinalizer(pod) || ctx.expectedRm.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      if (!this.#canRemoveFinalizer(ctx, pod, failed)) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (indexed) {
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
    if (ctx.finished?.type === 'FailureTarget') {
      status.conditions = [...(status.conditions ?? []), ctx.finished];
      needsFlush = true;
      ctx.finished = this.#condition('Failed', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '');
    }
    if (ctx.finished?.type === 'SuccessCriteriaMet') {
      if (!isTrue(job, 'SuccessCriteriaMet')) {
        status.conditions = [...(status.conditions ?? []), ctx.finished];
        needsFlush = true;
      }
      ctx.finished = this.#condition('Complete', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '');
    }
    let cur = job;
    // 1. The uncounted UIDs and interim conditions, before any finalizer goes.
    if (needsFlush) {
      cur = this.#writeStatus(cur);
      this.#o.backoff.update(ctx.newBackoff);
      needsFlush = false;
    }
    // 2. The finalizers.
    let rmErr: Error | undefined;
    if (toRemove.length > 0) {
      const { removed, err } = this.#removeFinalizers(ctx.key, toRemove);
      for (const uid of removed) withFinalizer.delete(uid);
      rmErr = err;
    }
    // 3. Counted only once their finalizer is gone.
    if (cleanUncounted(cur.status!, withFinalizer)) needsFlush = true;
    if (rmErr) {
      if (needsFlush) this.#writeStatus(cur);
      throw rmErr;
    }
    const finished = !reachedMax && this.#enactFinished(ctx, cur);
    if (finished) needsFlush = true;
    if (needsFlush) {
      cur = this.#writeStatus(cur);
      if (finished) this.#recordFinished(cur, ctx.finished!);
    }
  }

  /** canRemoveFinalizer. */
  #canRemoveFinalizer(ctx: SyncCtx, pod: Pod, failed: boolean): boolean {
    if (ctx.job.metadata?.deletionTimestamp || ctx.finished || pod.status?.phase === 'Succeeded') return true;
    if (!failed) return false;
    if (hasBackoffLimitPerIndex(ctx.job)) {
      const ix = completionIndexOf(pod);
      if (ix !== unknownCompletionIndex && ctx.delayedDeletion.get(ix)?.metadata?.uid === pod.metadata?.uid) return false;
    }
    return true;
  }

  /** removeTrackingFinalizerFromPods: the UIDs whose finalizer is gone (or whose pod is). */
  #removeFinalizers(key: string, pods: readonly Pod[]): { removed: string[]; err?: Error } {
    const uids = pods.map((p) => p.metadata?.uid ?? '');
    this.#o.finalizerExpectations.expectRemovals(key, uids);
    const removed: string[] = [];
    let err: Error | undefined;
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      try {
        const after = this.#withFinalizers(p, (f) => f.filter((x) => x !== jobTrackingFinalizer));
        // Written, or gone: no update will come for it otherwise.
        if (!after || !hasTrackingFinalizer(after)) removed.push(uid);
        if (!after) this.#o.finalizerExpectations.removalObserved(key, uid);
      } catch (e) {
        this.#o.finalizerExpectations.removalObserved(key, uid);
        err ??= new Error(`removing tracking finalizer: ${(e as Error).message}`);
      }
    }
    return { removed, err };
  }

  /** enactJobFinished: the terminal condition once nothing is uncounted or terminating. */
  #enactFinished(ctx: SyncCtx, job: Job): boolean {
    const cond = ctx.finished;
    if (!cond) return false;
    const u = job.status?.uncountedTerminatedPods ?? {};
    if ((u.succeeded ?? []).length + (u.failed ?? []).length > 0) return false;
    if (ctx.terminating > 0) return false;
    ensureCondition(job, cond);
    if (cond.type === 'Complete') job.status!.completionTime = cond.lastTransitionTime;
    return true;
  }

  #recordFinished(job: Job, cond: JobCondition): void {
    const ref = ownerEventRef(job, jobKind);
    if (cond.type === 'Complete') {
      const c = job.spec?.completions;
      if (typeof c === 'number' && (job.status?.succeeded ?? 0) > c) {
        this.#o.recorder.record(ref, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.#o.recorder.record(ref, 'Normal', 'Completed', 'Job completed');
    } else {
      this.#o.recorder.record(ref, 'Warning', cond.reason ?? '', cond.message ?? '');
    }
  }

  /** updateStatus of `job` as Go encodes JobStatus; returns the Job as stored. */
  #writeStatus(job: Job): Job {
    const written = this.#o.client.resource('jobs').updateStatus(job.metadata?.namespace, { ...job, status: encodeStatus(job.status!) });
    // Later writes of this pass build on what was stored.
    job.metadata = written.metadata;
    return job;
  }
}

/** The metadata with `finalizers`, left out when empty as Go's omitempty leaves it out. */
export function withFinalizerList(meta: NonNullable<Pod['metadata']>, finalizers: string[]): NonNullable<Pod['metadata']> {
  const { finalizers: _old, ...rest } = meta;
  return finalizers.length === 0 ? rest : { ...rest, finalizers };
}

/** cleanUncountedPodsWithoutFinalizers: UIDs whose pod no longer holds the finalizer move to the counters. */
function cleanUncounted(status: JobStatus, withFinalizer: Set<string>): boolean {
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

/** ensureJobConditionStatus: replaces a condition of the type when it differs; adds one only when not False. */
function ensureCondition(job: Job, cond: JobCondition): boolean {
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

/** pastBackoffLimitOnFailure: container restarts of running and pending pods reach backoffLimit (OnFailure only). */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** JobStatus as Go encodes it: counts omitempty, ready/terminating pointers, empty uncounted lists omitted. */
function encodeStatus(status: JobStatus): JobStatus {
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
