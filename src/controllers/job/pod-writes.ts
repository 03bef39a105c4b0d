/**
 * The Job controller's pod writes (job_controller.go deleteActivePods,
 * deleteJobPods, removeTrackingFinalizerFromPods and the finalizer patch),
 * each keeping the expectations the informer handlers lower: a delete or
 * finalizer removal that fails is one the informer will never show.
 * Finalizer changes re-read the pod and retry a conflict, as upstream's
 * strategic-merge patch never conflicts.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { ResourceClient } from '../../client/client.ts';
import type { ControllerExpectations } from '../expectations.ts';
import type { PodControl } from '../pod-template.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { jobKind } from './job-status.ts';
import { hasTrackingFinalizer, jobTrackingFinalizer } from './pods.ts';
import { isPodReady } from '../pod-readiness.ts';

/** The metadata with `finalizers`, left out when empty as Go's omitempty leaves it out. */
export function withFinalizerList(meta: NonNullable<Pod['metadata']>, finalizers: string[]): NonNullable<Pod['metadata']> {
  const { finalizers: _old, ...rest } = meta;
  return finalizers.length === 0 ? rest : { ...rest, finalizers };
}

/** How many conflicting finalizer writes are re-read and tried again. */
const conflictRetries = 3;

export interface JobPodWriterOptions {
  pods: Pick<ResourceClient<Pod>, 'get' | 'update'>;
  podControl: PodControl;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
}

export class JobPodWriter {
  readonly #o: JobPodWriterOptions;

  constructor(opts: JobPodWriterOptions) {
    this.#o = opts;
  }

  /** Writes the pod's finalizers as `change` makes them of a fresh read; undefined when the pod is gone. */
  withFinalizers(pod: Pod, change: (f: string[]) => string[]): Pod | undefined {
    const pods = this.#o.pods;
    for (let attempt = 0; ; attempt++) {
      const fresh = pods.get(pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (!fresh || fresh.metadata?.uid !== pod.metadata?.uid) return undefined;
      const next = change(fresh.metadata?.finalizers ?? []);
      if (JSON.stringify(next) === JSON.stringify(fresh.metadata?.finalizers ?? [])) return fresh;
      try {
        return pods.update(fresh.metadata?.namespace, { ...fresh, metadata: withFinalizerList(fresh.metadata ?? {}, next) });
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        if (!(err instanceof ApiError && err.code === 409) || attempt >= conflictRetries) throw err;
      }
    }
  }

  /** deleteActivePods: deletion keeps the finalizers; tracking removes them once counted. */
  deleteActivePods(job: Job, pods: readonly Pod[]): { deleted: number; deletedReady: number; err?: Error } {
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

  /** deleteJobPods: surplus pods, their finalizer removed first (they are not counted), then deleted. */
  deleteJobPods(job: Job, key: string, pods: readonly Pod[]): { removed: number; removedReady: number; err?: Error } {
    let removed = pods.length;
    let removedReady = 0;
    let err: Error | undefined;
    const fail = (e: unknown) => {
      this.#o.expectations.deletionObserved(key);
      if (!(e instanceof ApiError && e.code === 404)) {
        removed--;
        err ??= e as Error;
      }
    };
    for (const p of pods) {
      try {
        this.withFinalizers(p, (f) => f.filter((x) => x !== jobTrackingFinalizer));
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

  /** removeTrackingFinalizerFromPods: the UIDs whose finalizer is gone (or whose pod is). */
  removeFinalizers(key: string, pods: readonly Pod[]): { removed: string[]; err?: Error } {
    const { finalizerExpectations } = this.#o;
    finalizerExpectations.expectRemovals(key, pods.map((p) => p.metadata?.uid ?? ''));
    const removed: string[] = [];
    let err: Error | undefined;
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      try {
        const after = this.withFinalizers(p, (f) => f.filter((x) => x !== jobTrackingFinalizer));
        if (!after || !hasTrackingFinalizer(after)) removed.push(uid);
        // Gone: no update will come for it.
        if (!after) finalizerExpectations.removalObserved(key, uid);
      } catch (e) {
        finalizerExpectations.removalObserved(key, uid);
        err ??= new Error(`removing tracking finalizer: ${(e as Error).message}`);
      }
    }
    return { removed, err };
  }
}
