/**
 * ttl-after-finished — deletes finished Jobs whose
 * spec.ttlSecondsAfterFinished has passed, as kube-controller-manager's
 * TTL-after-finished controller does (pkg/controller/ttlafterfinished):
 * the TTL counts from the lastTransitionTime of the Job's Complete or
 * Failed condition; the delete is made after a fresh read (the TTL may
 * have changed), with background propagation (the garbage collector then
 * removes the pods) and the Job's UID as precondition.
 *
 * Loops: the Job informer's handlers enqueue Jobs that need cleanup; one
 * worker checks each and asks to run again when its TTL expires.
 *
 * State: none; after a restart every finished Job is looked at again.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';

/** The time a Job finished (ms), undefined while it runs or without a transition time. */
export function jobFinishTime(job: Job): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const t = Date.parse(c.lastTransitionTime ?? '');
      return Number.isNaN(t) ? undefined : t;
    }
  }
  return undefined;
}

/** needsCleanup: a TTL is set and the Job is finished. */
export function needsCleanup(job: Job): boolean {
  return typeof job.spec?.ttlSecondsAfterFinished === 'number' && jobFinishTime(job) !== undefined && !job.metadata?.deletionTimestamp;
}

/** timeLeft: ms until the TTL expires (≤ 0: expired), undefined when not to be cleaned up. */
export function ttlLeftMs(job: Job, now: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  return jobFinishTime(job)! + job.spec!.ttlSecondsAfterFinished! * 1000 - now;
}

export const ttlAfterFinishedController: ControllerDefinition = {
  name: 'ttl-after-finished',
  create({ client, informers, clock, log }) {
    const jobInformer = informers.forResource('jobs');
    const queue = new RateLimitingQueue(clock);
    const enqueue = (job: Job) => {
      if (needsCleanup(job)) queue.add(objectKey(job));
    };
    jobInformer.addEventHandler({ add: enqueue, update: (_old, job) => enqueue(job) });
    const jobs = client.resource('jobs');

    const reconcile = (key: string): ReconcileResult | void => {
      const { namespace, name } = splitKey(key);
      const cached = jobInformer.lister.get(namespace, name);
      if (!cached) return;
      const left = ttlLeftMs(cached, clock.now());
      if (left === undefined) return;
      if (left > 0) return { requeueAfterMs: left };
      // The cached copy may be stale: the TTL may have been changed or removed.
      const fresh = jobs.get(namespace, name);
      if (!fresh || fresh.metadata?.uid !== cached.metadata?.uid) return;
      const freshLeft = ttlLeftMs(fresh, clock.now());
      if (freshLeft === undefined) return;
      if (freshLeft > 0) return { requeueAfterMs: freshLeft };
      log(`ttl-after-finished: cleaning up Job ${key}`);
      try {
        jobs.delete(namespace, name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata?.uid } });
      } catch (err) {
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'ttl-after-finished', queue, reconcile, log });
  },
};
