/**
 * job — runs each batch/v1 Job's pods to completion, as
 * kube-controller-manager's Job controller does (pkg/controller/job, v1.33):
 * completions and parallelism, Indexed Jobs (index annotation and label,
 * JOB_COMPLETION_INDEX, hostname `<job>-<index>`, pods `<job>-<index>-xxxxx`),
 * backoffLimit with the pod-failure backoff (10 s doubling up to 10 min, as
 * the v1.33 code has it; the Job documentation says six),
 * backoffLimitPerIndex/maxFailedIndexes, podFailurePolicy, successPolicy,
 * activeDeadlineSeconds, suspend; the conditions FailureTarget → Failed and
 * SuccessCriteriaMet → Complete, Suspended; status counts; events as
 * `job-controller`.
 *
 * Every pod it creates carries the `batch.kubernetes.io/job-tracking`
 * finalizer, removed only after the pod's result is in the Job's status
 * (sync.ts), so results survive a crash and deleted pods are not lost
 * uncounted.
 *
 * Files: sync.ts (one reconcile, deciding), tracking.ts (the status and
 * finalizer writes of a reconcile), pod-writes.ts, job-status.ts,
 * sync-ctx.ts, pods.ts, indexes.ts, per-index.ts, backoff.ts,
 * pod-failure-policy.ts, success-policy.ts, finalizer-expectations.ts;
 * testing.ts for the tests.
 *
 * Loops: Job events enqueue the Job at once, pod events after the 1 s
 * batching period; five workers reconcile. A second queue takes orphan
 * pods still holding the finalizer (their Job deleted or finished) and
 * removes it, so the garbage collector can delete them.
 *
 * State: pod-creation and finalizer-removal expectations and the backoff
 * records, in memory; after a restart every Job is reconciled from the
 * store.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import { EventRecorder } from '../../client/client.ts';
import type { Controller, ControllerDefinition } from '../controller.ts';
import { controllerRefOf, resolveControllerRef } from '../controller-ref.ts';
import { ControllerExpectations } from '../expectations.ts';
import { selectorFromLabelSelector } from '../label-selector.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { PodControl } from '../pod-template.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { BackoffStore } from './backoff.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { hasTrackingFinalizer, jobTrackingFinalizer } from './pods.ts';
import { withFinalizerList } from './pod-writes.ts';
import { isJobFinished, jobKind, JobSync, managedElsewhere, syncJobBatchPeriodMs } from './sync.ts';

/** ConcurrentJobSyncs' default. */
const workers = 5;

export const jobController: ControllerDefinition = {
  name: 'job',
  create({ client, informers, clock, log }) {
    const jobInformer = informers.forResource('jobs');
    const podInformer = informers.forResource('pods');
    const queue = new RateLimitingQueue(clock);
    const orphanQueue = new RateLimitingQueue(clock);
    const expectations = new ControllerExpectations(clock);
    const finalizerExpectations = new FinalizerExpectations();
    const recorder = new EventRecorder(client.events, { component: 'job-controller' }, () => clock.now(), log);
    const jobs = jobInformer.lister;
    const pods = podInformer.lister;

    const ownerOf = (pod: Pod, ref = controllerRefOf(pod)) => resolveControllerRef(ref, jobKind, (name) => jobs.get(pod.metadata?.namespace, name));
    const enqueueBatched = (job: Job) => queue.addAfter(objectKey(job), syncJobBatchPeriodMs);
    const enqueueOrphan = (pod: Pod) => orphanQueue.add(objectKey(pod));

    /** getPodJobs: the Jobs of the pod's namespace whose selector matches it. */
    const jobsSelecting = (pod: Pod): Job[] =>
      jobs.listInNamespace(pod.metadata?.namespace ?? '').filter((j) => {
        try {
          const sel = selectorFromLabelSelector(j.spec?.selector);
          return !sel.empty && sel.matches(pod.metadata?.labels);
        } catch {
          return false;
        }
      });

    /** deletePod: a pod going (final: gone from the store). */
    const podGone = (pod: Pod, final: boolean) => {
      const ref = controllerRefOf(pod);
      const finalizer = hasTrackingFinalizer(pod);
      // No Job waits on an orphan, but the garbage collector may have removed its Job's reference.
      if (!ref) {
        if (finalizer) enqueueOrphan(pod);
        return;
      }
      const job = ownerOf(pod, ref);
      if (!job || isJobFinished(job)) {
        if (finalizer) enqueueOrphan(pod);
        return;
      }
      const key = objectKey(job);
      expectations.deletionObserved(key);
      if (final || !finalizer) finalizerExpectations.removalObserved(key, pod.metadata?.uid ?? '');
      enqueueBatched(job);
    };

    /** cleanupPodFinalizers: the finished or deleted Job's pods still holding the finalizer go to the orphan queue. */
    const cleanupPodFinalizers = (job: Job) => {
      for (const p of pods.listInNamespace(job.metadata?.namespace ?? '')) {
        if (controllerRefOf(p)?.uid === job.metadata?.uid && hasTrackingFinalizer(p)) enqueueOrphan(p);
      }
    };

    jobInformer.addEventHandler({
      add: (job) => {
        if (!managedElsewhere(job)) queue.add(objectKey(job));
      },
      update: (old, job) => {
        if (managedElsewhere(job)) return;
        if (old.metadata?.uid !== job.metadata?.uid) {
          expectations.delete(objectKey(old));
          finalizerExpectations.delete(objectKey(old));
        }
        // Status writes (no generation change) are batched; spec changes act at once.
        if (job.metadata?.generation === old.metadata?.generation) enqueueBatched(job);
        else queue.add(objectKey(job));
        if (isJobFinished(job)) cleanupPodFinalizers(job);
        const ads = job.spec?.activeDeadlineSeconds;
        if (job.status?.startTime && typeof ads === 'number' && old.spec?.activeDeadlineSeconds !== ads) {
          queue.addAfter(objectKey(job), Math.max(0, ads * 1000 - (clock.now() - Date.parse(job.status.startTime))));
        }
      },
      delete: (job) => {
        queue.add(objectKey(job));
        cleanupPodFinalizers(job);
      },
    });

    podInformer.addEventHandler({
      add: (pod) => {
        if (pod.metadata?.deletionTimestamp) return podGone(pod, false);
        const ref = controllerRefOf(pod);
        if (ref) {
          const job = ownerOf(pod, ref);
          if (!job) return;
          expectations.creationObserved(objectKey(job));
          enqueueBatched(job);
          return;
        }
        if (hasTrackingFinalizer(pod)) enqueueOrphan(pod);
        for (const job of jobsSelecting(pod)) enqueueBatched(job);
      },
      update: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (pod.metadata?.deletionTimestamp) {
          podGone(pod, false);
          if (!sameJson(old.metadata?.labels, pod.metadata?.labels)) podGone(old, false);
          return;
        }
        const ref = controllerRefOf(pod);
        const oldRef = controllerRefOf(old);
        const finalizerRemoved = !hasTrackingFinalizer(pod);
        if (!sameJson(ref, oldRef) && oldRef) {
          const prev = ownerOf(old, oldRef);
          if (prev) {
            if (finalizerRemoved) finalizerExpectations.removalObserved(objectKey(prev), pod.metadata?.uid ?? '');
            enqueueBatched(prev);
          }
        }
        if (ref) {
          const job = ownerOf(pod, ref);
          if (!job) return;
          if (finalizerRemoved) finalizerExpectations.removalObserved(objectKey(job), pod.metadata?.uid ?? '');
          enqueueBatched(job);
          return;
        }
        if (hasTrackingFinalizer(pod)) enqueueOrphan(pod);
        if (!sameJson(ref, oldRef) || !sameJson(old.metadata?.labels, pod.metadata?.labels)) for (const job of jobsSelecting(pod)) enqueueBatched(job);
      },
      delete: (pod) => podGone(pod, true),
    });

    const sync = new JobSync({
      jobs,
      pods,
      client,
      podControl: new PodControl({ pods: client.resource('pods'), recorder }),
      recorder,
      expectations,
      finalizerExpectations,
      backoff: new BackoffStore(),
      clock,
      log,
    });

    /** syncOrphanPod: the finalizer goes unless a running Job of ours controls the pod. */
    const syncOrphanPod = (key: string) => {
      const { namespace, name } = splitKey(key);
      const pod = pods.get(namespace, name);
      if (!pod || !hasTrackingFinalizer(pod)) return;
      const ref = controllerRefOf(pod);
      if (ref) {
        if (ref.kind !== jobKind.kind || ref.apiVersion !== jobKind.apiVersion) return;
        const job = ownerOf(pod, ref);
        if (job && managedElsewhere(job)) return;
        if (job && !isJobFinished(job)) return;
      }
      const podClient = client.resource('pods');
      for (let attempt = 0; ; attempt++) {
        const fresh = podClient.get(namespace, name);
        if (!fresh || fresh.metadata?.uid !== pod.metadata?.uid || !hasTrackingFinalizer(fresh)) return;
        try {
          podClient.update(namespace, { ...fresh, metadata: withFinalizerList(fresh.metadata ?? {}, (fresh.metadata?.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer)) });
          return;
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return;
          if (!(err instanceof ApiError && err.code === 409) || attempt >= 3) throw err;
        }
      }
    };

    const main = new QueueController({ name: 'job', queue, reconcile: (key) => sync.sync(key), workers, log });
    const orphans = new QueueController({ name: 'job-orphan-pods', queue: orphanQueue, reconcile: syncOrphanPod, log });
    return both(main, orphans);
  },
};

function both(a: Controller, b: Controller): Controller {
  return {
    start(signal) {
      a.start(signal);
      b.start(signal);
    },
    stop() {
      b.stop();
      a.stop();
    },
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
