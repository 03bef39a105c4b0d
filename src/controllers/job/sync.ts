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
 *   5. tracking (tracking.ts, trackJobStatusAndRemoveFinalizers): finished pods' UIDs go
 *      to status.uncountedTerminatedPods (or completedIndexes) in one status
 *      write, only then their finalizers are removed, and only pods whose
 *      finalizer is gone move from the uncounted lists to succeeded/failed;
 *      the interim FailureTarget/SuccessCriteriaMet is written before any
 *      finalizer goes, and Failed/Complete only once nothing is uncounted
 *      or terminating. So a crash at any point loses no result and counts
 *      none twice.
 *
 * Files: job-status.ts (conditions and checks), sync-ctx.ts, per-index.ts,
 * pod-writes.ts, tracking.ts (step 5).
 *
 * State: the expectations and backoff records it is given (in memory; at a
 * restart the store is the truth and nothing is lost, only the backoff
 * starts anew, as upstream's).
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ControllerClient, EventRecorder } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import { ControllerRefManager, newControllerRef, recheckOwner } from '../controller-ref.ts';
import type { ControllerExpectations } from '../expectations.ts';
import { selectorFromLabelSelector, type Selector } from '../label-selector.ts';
import type { Lister } from '../lister.ts';
import { splitKey } from '../object-key.ts';
import { isNamespaceTerminating, ownerEventRef, type PodControl } from '../pod-template.ts';
import type { ReconcileResult } from '../queue-controller.ts';
import { nextBackoffRecord, remainingBackoffMs, type BackoffStore } from './backoff.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import {
  addCompletionIndex,
  addCompletionIndexEnv,
  completionIndexOf,
  firstPendingIndexes,
  merge,
  parseIntervals,
  podGenerateNameWithIndex,
  total,
  unknownCompletionIndex,
  withIndexes,
} from './indexes.ts';
import {
  ensureCondition,
  failJobMessage,
  hasBackoffLimitPerIndex,
  isIndexed,
  isJobFinished,
  isSuspended,
  jobKind,
  managedElsewhere,
  newCondition,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  rfc3339,
} from './job-status.ts';
import { addIndexFailureCounts, failedIndexes, indexBackoffMs, podsWithDelayedDeletion } from './per-index.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { JobPodWriter } from './pod-writes.ts';
import { isPodReady } from '../pod-readiness.ts';
import { activePodsForRemoval, hasTrackingFinalizer, isPodActive, isPodFailed, isPodTerminating, jobTrackingFinalizer, onlyReplaceFailedPods } from './pods.ts';
import { requeue, validPods, type SyncCtx } from './sync-ctx.ts';
import { matchSuccessPolicy } from './success-policy.ts';
import { trackJobStatus } from './tracking.ts';

export { isJobFinished, jobKind, managedElsewhere } from './job-status.ts';

/** MaxPodCreateDeletePerSync. */
export const maxPodCreateDeletePerSync = 500;
/** syncJobBatchPeriod: pod events reach a Job after this delay, batched. */
export const syncJobBatchPeriodMs = 1000;

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

export class JobSync {
  readonly #o: JobSyncOptions;
  readonly #writer: JobPodWriter;

  constructor(opts: JobSyncOptions) {
    this.#o = opts;
    this.#writer = new JobPodWriter({
      pods: opts.client.resource('pods'),
      podControl: opts.podControl,
      expectations: opts.expectations,
      finalizerExpectations: opts.finalizerExpectations,
    });
  }

  #condition(type: string, status: 'True' | 'False', reason: string, message: string): JobCondition {
    return newCondition(type, status, reason, message, this.#o.clock.now());
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
    const newSucceeded = validPods(ctx, ctx.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = validPods(ctx, ctx.uncountedFailed, (p) => isPodFailed(p, job));
    ctx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    const nonIgnored = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    ctx.failed = (job.status.failed ?? 0) + nonIgnored + ctx.uncountedFailed.size;

    if (!job.status.startTime && !isSuspended(job)) job.status.startTime = rfc3339(clock.now());
    ctx.newBackoff = nextBackoffRecord(backoff.get(key), newSucceeded, newFailed);

    const conds = job.status.conditions ?? [];
    const scm = conds.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    if (scm) ctx.finished = scm;
    if (!ctx.finished) {
      const ft = conds.find((c) => c.type === 'FailureTarget' && c.status === 'True');
      if (ft) ctx.finished = this.#condition('Failed', 'True', ft.reason ?? '', ft.message ?? '');
      else {
        const msg = failJobMessage(job, pods);
        if (msg !== undefined) ctx.finished = this.#failure('PodFailurePolicy', msg);
      }
    }
    if (!ctx.finished) {
      if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finished = this.#failure('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (pastActiveDeadline(job, clock.now())) {
        ctx.finished = this.#failure('DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (typeof job.spec?.activeDeadlineSeconds === 'number' && !isSuspended(job)) {
        const left = job.spec.activeDeadlineSeconds * 1000 - (clock.now() - Date.parse(job.status.startTime!));
        requeue(ctx, left);
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
        ctx.failedIndexes = failedIndexes(job, pods);
        if (!ctx.finished) {
          const failedN = total(ctx.failedIndexes);
          if (typeof job.spec?.maxFailedIndexes === 'number' && failedN > job.spec.maxFailedIndexes) {
            ctx.finished = this.#failure('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');
          } else if (failedN > 0 && failedN + total(ctx.succeededIndexes) >= c) {
            ctx.finished = this.#failure('FailedIndexes', 'Job has failed indexes');
          }
        }
        ctx.delayedDeletion = podsWithDelayedDeletion(ctx);
      }
      if (!ctx.finished) {
        const msg = matchSuccessPolicy(job.spec?.successPolicy, c, ctx.succeededIndexes);
        if (msg !== undefined) ctx.finished = this.#condition('SuccessCriteriaMet', 'True', 'SuccessPolicy', msg);
      }
    }

    let suspendChanged = false;
    let manageErr: Error | undefined;
    if (ctx.finished) {
      const { deleted, deletedReady, err } = this.#writer.deleteActivePods(job, ctx.activePods);
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
          job.status.startTime = rfc3339(clock.now());
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
    trackJobStatus(ctx, needsUpdate, { jobs: this.#o.client.resource('jobs'), writer: this.#writer, backoff, recorder: this.#o.recorder, clock });
    if (manageErr) throw manageErr;
    return ctx.requeueMs !== undefined ? { requeueAfterMs: Math.max(0, ctx.requeueMs) } : undefined;
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
        return this.#writer.withFinalizers(p, (f) => [...f, jobTrackingFinalizer]) ?? p;
      } catch {
        return p;
      }
    });
  }

  #manageJob(job: Job, ctx: SyncCtx): { active: number; err?: Error } {
    const { expectations, clock } = this.#o;
    const key = ctx.key;
    let active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (isSuspended(job)) {
      const victims = activePodsForRemoval(job, ctx.activePods, active);
      expectations.expectDeletions(key, victims.length);
      const r = this.#writer.deleteJobPods(job, key, victims);
      ctx.terminating += r.removed;
      ctx.ready -= r.removedReady;
      return { active: active - r.removed, err: r.err };
    }
    const completions = job.spec?.completions;
    let want: number;
    if (completions === undefined || completions === null) want = ctx.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

    const victims = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - want)).slice(0, maxPodCreateDeletePerSync);
    if (victims.length > 0) {
      expectations.expectDeletions(key, victims.length);
      const r = this.#writer.deleteJobPods(job, key, victims);
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
        requeue(ctx, Math.max(wait, syncJobBatchPeriodMs));
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
          const wait = indexBackoffMs(ctx.delayedDeletion.get(ix), now);
          if (wait === 0) ready.push(ix);
          else if (minWait === undefined || wait < minWait) minWait = wait;
        }
        if (ready.length === 0 && minWait !== undefined) {
          requeue(ctx, Math.max(minWait, syncJobBatchPeriodMs));
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
        if (hasBackoffLimitPerIndex(job)) addIndexFailureCounts(job, template, ctx.delayedDeletion.get(ix));
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
}
