/**
 * The pod-failure backoff of kube-controller-manager
 * pkg/controller/job/backoff_utils.go: after N failures since the last
 * success a Job creates no pod before 10 s · 2^(N-1) (at most 10 minutes)
 * have passed since the last failure. Records live in memory, per Job key,
 * as upstream's backoffStore (a restart forgets them).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

export const defaultJobPodFailureBackOffMs = 10_000;
/** MaxJobPodFailureBackOff: 10 minutes in the v1.33 code (the Job documentation still says six). */
export const maxJobPodFailureBackOffMs = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

const parse = (t: string | undefined): number | undefined => {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * `getFinishedTime`: the last container's finishedAt (when all have
 * terminated), else the Ready=False transition of a terminal pod, else the
 * deletion time less its grace, else the creation time.
 */
export function podFinishedTime(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  let fromContainers: number | undefined;
  if ((pod.status?.containerStatuses ?? []).length > 0) {
    for (const s of statuses) {
      const t = s.state?.terminated;
      if (!t) {
        if (pod.status?.containerStatuses?.includes(s)) {
          fromContainers = undefined;
          break;
        }
        continue;
      }
      const at = parse(t.finishedAt);
      if (at === undefined) continue;
      fromContainers = Math.max(fromContainers ?? at, at);
    }
  }
  if (fromContainers !== undefined) return fromContainers;
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
    const at = parse(ready?.lastTransitionTime);
    if (at !== undefined) return at;
  }
  const del = parse(pod.metadata?.deletionTimestamp);
  if (del !== undefined) return del - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return parse(pod.metadata?.creationTimestamp) ?? 0;
}

/** `getRemainingTimeForFailuresCount`. */
export function remainingBackoffMs(failures: number, lastFailureTime: number | undefined, now: number, base = defaultJobPodFailureBackOffMs, max = maxJobPodFailureBackOffMs): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let backoff = base;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= max) {
      backoff = max;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** `newBackoffRecord`: the stored record moved on by this sync's newly finished pods. */
export function nextBackoffRecord(prev: BackoffRecord, succeeded: readonly Pod[], failed: readonly Pod[]): BackoffRecord {
  const byTime = (a: Pod, b: Pod) => podFinishedTime(a) - podFinishedTime(b);
  const s = [...succeeded].sort(byTime);
  const f = [...failed].sort(byTime);
  if (s.length === 0) {
    if (f.length === 0) return prev;
    return { key: prev.key, failuresAfterLastSuccess: prev.failuresAfterLastSuccess + f.length, lastFailureTime: podFinishedTime(f[f.length - 1]) };
  }
  const rec: BackoffRecord = { key: prev.key, failuresAfterLastSuccess: 0 };
  const lastSuccess = podFinishedTime(s[s.length - 1]);
  for (let i = f.length - 1; i >= 0; i--) {
    const t = podFinishedTime(f[i]);
    if (t <= lastSuccess) break;
    rec.lastFailureTime ??= t;
    rec.failuresAfterLastSuccess++;
  }
  return rec;
}

export class BackoffStore {
  #records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord {
    return this.#records.get(key) ?? { key, failuresAfterLastSuccess: 0 };
  }

  update(rec: BackoffRecord): void {
    this.#records.set(rec.key, rec);
  }

  remove(key: string): void {
    this.#records.delete(key);
  }
}
