/**
 * The single writer of pod status to the API (the kubelet's status manager).
 *
 * Keeps the last status written per pod UID, stamps condition
 * `lastTransitionTime`s (kept while a condition's status is unchanged) and
 * `startTime`, cuts termination messages to the pod's budget
 * (termination-message-budget.ts), and writes only when something changed
 * (that a terminal phase never goes back is the generator's rule). State: in
 * memory, rebuilt from the API status after a restart.
 *
 * Writes are asynchronous, as the kubelet's status manager syncs in its own
 * goroutine: `set` records the status at once (what `current` returns) and
 * the API write follows on the next turn of the event loop, so a pod worker
 * issues its next CRI call (the next init container's create) first. Several
 * sets of one pod in a turn write once, the latest. `flush` writes what is
 * pending now (before the pod's final delete, which must come after its
 * terminal status).
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
  /** Statuses recorded but not yet written, by pod UID. */
  #pending = new Map<string, { namespace: string; name: string; status: PodStatus }>();
  #scheduled: NodeJS.Immediate | undefined;

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
    this.#cache.set(uid, next);
    this.#pending.set(uid, { namespace: m.namespace!, name: m.name!, status: next });
    this.#scheduled ??= setImmediate(() => this.flush());
    return next;
  }

  /** Writes every pending status now (or only `uid`'s). A write the API refuses (the pod is gone or replaced) is forgotten, so the next `set` writes again. */
  flush(uid?: string): void {
    const uids = uid === undefined ? [...this.#pending.keys()] : this.#pending.has(uid) ? [uid] : [];
    for (const u of uids) {
      const p = this.#pending.get(u)!;
      this.#pending.delete(u);
      if (!this.#pods.updateStatus(p.namespace, p.name, u, p.status) && this.#cache.get(u) === p.status) this.#cache.delete(u);
    }
    if (this.#pending.size === 0 && this.#scheduled) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
  }

  #stamp(c: PodCondition, prev: PodCondition[], now: string): PodCondition {
    const old = prev.find((p) => p.type === c.type);
    const out: PodCondition = { ...c, lastProbeTime: null as unknown as string };
    out.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return out;
  }

  forget(uid: string): void {
    this.#cache.delete(uid);
    this.#pending.delete(uid);
  }
}
