/**
 * The single writer of pod status to the API (the kubelet's status manager).
 *
 * Keeps the last status written per pod UID, stamps condition
 * `lastTransitionTime`s (kept while a condition's status is unchanged) and
 * `startTime`, cuts termination messages to the pod's budget
 * (termination-message-budget.ts), and writes only when something changed
 * (that a terminal phase never goes back is the generator's rule). State: in
 * memory, rebuilt from the API status after a restart.
 */
import type { Pod, PodCondition, PodStatus } from '../../api/api.ts';
import type { PodClient } from '../../client/client.ts';
import { rfc3339 } from '../../api/api.ts';
import { isDeepStrictEqual } from 'node:util';
import { limitTerminationMessages } from './termination-message-budget.ts';

export class StatusManager {
  #pods: PodClient;
  #now: () => number;
  #cache = new Map<string, PodStatus>();

  constructor(pods: PodClient, now: () => number = Date.now) {
    this.#pods = pods;
    this.#now = now;
  }

  /** The status last written for the pod, else its API status. */
  current(pod: Pod): PodStatus {
    return this.#cache.get(pod.metadata!.uid!) ?? pod.status ?? {};
  }

  /**
   * Merges timestamps from the previous status into `next` and writes it when
   * it differs. Returns the status now on record.
   */
  set(pod: Pod, generated: PodStatus): PodStatus {
    // JSON form: no undefined members, so equality means "same on the wire".
    const next: PodStatus = JSON.parse(JSON.stringify(generated));
    limitTerminationMessages(pod, next);
    const uid = pod.metadata!.uid!;
    const prev = this.current(pod);
    const now = rfc3339(this.#now());
    next.startTime ??= prev.startTime ?? now;
    next.conditions = (next.conditions ?? []).map((c) => this.#stamp(c, prev.conditions ?? [], now));
    if (isDeepStrictEqual(prev, next)) return prev;
    const m = pod.metadata!;
    if (this.#pods.updateStatus(m.namespace!, m.name!, uid, next)) this.#cache.set(uid, next);
    return next;
  }

  #stamp(c: PodCondition, prev: PodCondition[], now: string): PodCondition {
    const old = prev.find((p) => p.type === c.type);
    const out: PodCondition = { ...c, lastProbeTime: null as unknown as string };
    out.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return out;
  }

  forget(uid: string): void {
    this.#cache.delete(uid);
  }
}
