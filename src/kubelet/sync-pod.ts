/**
 * One sync of one pod: observe the runtime, report status, then act. Called
 * only by the pod workers, one sync per pod at a time. The kubelet's
 * SyncPod / SyncTerminatingPod / SyncTerminatedPod, in one place:
 *
 *   API object gone     → stop what still runs (the last known spec's grace,
 *                         preStop hooks), remove containers, sandboxes, the
 *                         pod's log directory and volumes; the worker ends
 *   deletionTimestamp   → terminating: stop every container with the pod's
 *                         effective grace period (it only ever shrinks) in
 *                         the background, so later syncs keep reporting
 *                         status (readiness keeps probing); once nothing
 *                         runs, report the terminal phase (generateAPIPodStatus
 *                         with podIsTerminal, as after the kubelet's
 *                         SyncTerminatingPod) and remove the API object
 *                         (finalizers may keep it)
 *   terminal phase      → (completed, failed init under Never, deadline)
 *                         stop what still runs, report the terminal phase
 *   activeDeadlineSeconds passed → Failed / DeadlineExceeded, as above
 *   otherwise           → plan (pure) and execute; status again when start
 *                         failures changed (CrashLoopBackOff, ErrImagePull…)
 *
 * State: start failures per pod (the kubelet's reason cache) and the pod
 * terminations in flight, in memory. Probe results live in the prober.
 */
import type { Pod, PodStatus } from '../api/api.ts';
import type { Client } from '../client/client.ts';
import type { PodEventSink } from './container/pod-events.ts';
import type { PodRuntimeState } from './container/pod-runtime-state.ts';
import { noProbeResults, noProbes, type ProbeResults, type ProbeView } from './container/probe-results.ts';
import type { StartFailure } from './container/start-failure.ts';
import { Message, Reason } from './events/events.ts';
import type { ImageManager } from './images/images.ts';
import type { PodExecutor } from './runtime/execute.ts';
import type { RuntimeObserver } from './runtime/observe.ts';
import { planPodActions } from './runtime/plan-pod-actions.ts';
import { generatePodStatus } from './status/generate-status.ts';
import { isTerminalPhase } from './status/phase.ts';
import { terminatePodStatus } from './status/terminate-pod.ts';
import type { StatusManager } from './status/status-manager.ts';
import type { VolumeManager } from './volumes/volumes.ts';

/** What the sync needs of the prober (prober/prober.ts). */
export interface PodProber {
  update(pod: Pod, state: PodRuntimeState, podIP: string, terminating: boolean): void;
  removePod(uid: string): void;
  readonly results: ProbeResults;
  readonly view: ProbeView;
}

export interface SyncDeps {
  client: Client;
  observer: RuntimeObserver;
  executor: PodExecutor;
  status: StatusManager;
  volumes: VolumeManager;
  images: ImageManager;
  event: PodEventSink;
  hostIP: string;
  now: () => number;
  /** The desired pod for a UID, from the API watch. */
  desired(uid: string): Pod | undefined;
  /** The last API object of a pod that is gone from the API: its spec says how to stop it. */
  lastKnown(uid: string): Pod | undefined;
  prober?: PodProber;
  /** Requests another sync of the pod (a background termination finished). */
  wake(uid: string): void;
  log: (msg: string) => void;
}

type SyncResult = { requeueAfterMs?: number; done?: boolean };

interface Termination {
  /** The effective grace period in seconds; it only ever shrinks. */
  grace: number;
  /** Kills in flight (a shorter grace starts another one). */
  inFlight: number;
  settled: Promise<void>;
  /** After a kill failed, the next attempt waits until then (ms since the epoch). */
  retryAt: number;
}

/** How long a failed pod kill waits before the next attempt. */
const killRetryMs = 1000;

/** Something still runs: a container, or a ready sandbox. */
const busy = (state: PodRuntimeState) => state.containers.some((c) => c.state === 'running') || state.sandboxes.some((s) => s.ready);

/**
 * `calculateEffectiveGracePeriod`: the API's deletionGracePeriodSeconds when
 * it shortens the one in force; the pod's terminationGracePeriodSeconds when
 * there is none (or it is 0: a force deletion still gets the pod's grace on
 * the node); at least 1.
 */
export function effectiveGracePeriod(pod: Pod, current: number | undefined): number {
  let grace = current ?? 0;
  const requested = pod.metadata?.deletionGracePeriodSeconds;
  if (requested !== undefined && requested !== null && (grace === 0 || requested < grace)) grace = requested;
  if (grace === 0) grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(1, grace);
}

export class PodSyncer {
  #d: SyncDeps;
  /** Start failures per pod UID (the kubelet's reason cache). */
  #failures = new Map<string, Map<string, StartFailure>>();
  #terminations = new Map<string, Termination>();

  constructor(deps: SyncDeps) {
    this.#d = deps;
  }

  async sync(uid: string): Promise<SyncResult> {
    const pod = this.#d.desired(uid);
    const state = await this.#d.observer.observe(uid);
    if (!pod) return this.#syncGone(uid, state);
    if (pod.metadata?.deletionTimestamp) return this.#syncDeleting(pod, state);

    const failures = this.#failuresOf(uid);
    const status = this.#writeStatus(pod, state, failures, false);
    if (isTerminalPhase(status.phase)) return this.#syncTerminal(pod, state);

    const deadline = this.#activeDeadline(pod, status);
    if (deadline !== undefined && deadline <= 0) {
      this.#d.event(pod, undefined, 'Normal', Reason.DeadlineExceeded, Message.deadlineExceeded());
      this.#d.status.set(pod, { ...status, phase: 'Failed', reason: 'DeadlineExceeded', message: Message.deadlineExceeded() });
      return this.#syncTerminal(pod, state);
    }

    this.#d.prober?.update(pod, state, this.#podIP(pod, state), false);
    const actions = planPodActions(pod, state, this.#d.prober?.results ?? noProbeResults);
    const before = JSON.stringify([...failures]);
    const result = await this.#d.executor.sync(pod, state, actions, failures);
    // Report at once what the user must see now: a new start failure, or the
    // pod killed for good (not a kill that precedes a fresh sandbox: the
    // containers' own events bring that status a moment later).
    if (JSON.stringify([...failures]) !== before || (actions.killPod && !actions.createSandbox)) {
      const now = await this.#d.observer.observe(uid);
      this.#d.prober?.update(pod, now, this.#podIP(pod, now), false);
      this.#writeStatus(pod, now, failures, false);
    }
    let requeue = result.requeueAfterMs;
    if (deadline !== undefined) requeue = Math.min(requeue ?? Infinity, deadline);
    return requeue === undefined || requeue === Infinity ? {} : { requeueAfterMs: requeue };
  }

  /** Milliseconds until activeDeadlineSeconds passes (counted from startTime), if set. */
  #activeDeadline(pod: Pod, status: PodStatus): number | undefined {
    const ads = pod.spec?.activeDeadlineSeconds;
    if (ads === undefined || !status.startTime) return undefined;
    return Date.parse(status.startTime) + ads * 1000 - this.#d.now();
  }

  /** The address probes and hooks reach the pod at: its sandbox IP, or the node's for hostNetwork. */
  #podIP(pod: Pod, state: PodRuntimeState): string {
    if (pod.spec?.hostNetwork) return this.#d.hostIP;
    const sb = state.sandboxes[0];
    if (sb?.ready && sb.ip) return sb.ip;
    return this.#d.status.current(pod).podIP ?? '';
  }

  #writeStatus(pod: Pod, state: PodRuntimeState, failures: Map<string, StartFailure>, terminal: boolean): PodStatus {
    const generated = generatePodStatus({
      pod,
      state,
      previous: this.#d.status.current(pod),
      failures,
      probes: this.#d.prober?.view ?? noProbes,
      podIsTerminal: terminal,
      hostIP: this.#d.hostIP,
    });
    // Nothing of a terminal pod runs any more: the status manager's TerminatePod.
    return this.#d.status.set(pod, terminal && !busy(state) ? terminatePodStatus(pod, generated) : generated);
  }

  /** The pod is done (Succeeded or Failed): stop what still runs and report the final status. */
  async #syncTerminal(pod: Pod, state: PodRuntimeState): Promise<SyncResult> {
    const uid = pod.metadata!.uid!;
    let now = state;
    if (busy(state)) {
      this.#d.prober?.update(pod, state, this.#podIP(pod, state), true);
      await this.#d.executor.killPod(pod, state);
      now = await this.#d.observer.observe(uid);
    }
    this.#d.prober?.removePod(uid);
    this.#writeStatus(pod, now, this.#failuresOf(uid), true);
    if (!busy(now)) await this.#d.volumes.releaseVolumes(uid);
    return {};
  }

  /**
   * The pod is being deleted. Kills run in the background so that a shorter
   * grace period (a second delete) can take over, and status keeps flowing.
   */
  async #syncDeleting(pod: Pod, state: PodRuntimeState): Promise<SyncResult> {
    const uid = pod.metadata!.uid!;
    const t = this.#terminations.get(uid);
    const failures = this.#failuresOf(uid);
    if (busy(state) || (t && t.inFlight > 0)) {
      this.#d.prober?.update(pod, state, this.#podIP(pod, state), true);
      this.#writeStatus(pod, state, failures, false);
      const grace = effectiveGracePeriod(pod, t?.grace);
      if (busy(state) && (!t || grace < t.grace || t.inFlight === 0)) {
        const wait = t && t.inFlight === 0 ? t.retryAt - this.#d.now() : 0;
        if (wait > 0 && !(grace < t!.grace)) return { requeueAfterMs: wait };
        this.#startKill(pod, state, grace);
      }
      return {};
    }
    this.#d.prober?.removePod(uid);
    this.#writeStatus(pod, state, failures, true);
    // As the kubelet, let the API object go only once the volumes are unmounted.
    await this.#d.volumes.releaseVolumes(uid);
    const m = pod.metadata!;
    // The terminal status is on record before the object goes, as the kubelet's status manager orders them.
    this.#d.status.flush(uid);
    this.#d.client.pods.deleteFinal(m.namespace!, m.name!, uid);
    return {};
  }

  #startKill(pod: Pod, state: PodRuntimeState, grace: number): void {
    const uid = pod.metadata!.uid!;
    const t = this.#terminations.get(uid) ?? { grace, inFlight: 0, settled: Promise.resolve(), retryAt: 0 };
    t.grace = grace;
    t.inFlight++;
    const run = this.#d.executor
      .killPod(pod, state, grace)
      .catch((err) => {
        t.retryAt = this.#d.now() + killRetryMs;
        this.#d.log(`killing pod ${uid} failed: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        t.inFlight--;
        this.#d.wake(uid);
      });
    t.settled = Promise.all([t.settled, run]).then(() => {});
    this.#terminations.set(uid, t);
  }

  /** The API object is gone (deleted for good, or force-deleted): stop and remove everything. */
  async #syncGone(uid: string, state: PodRuntimeState): Promise<SyncResult> {
    const last = this.#d.lastKnown(uid);
    const t = this.#terminations.get(uid);
    if (t && t.inFlight > 0) {
      await t.settled;
      state = await this.#d.observer.observe(uid);
    }
    this.#d.prober?.removePod(uid);
    if (busy(state)) {
      // An orphan (no spec known, e.g. removed while berth was down) gets 1 s, as in the kubelet.
      const grace = last ? effectiveGracePeriod(last, t?.grace) : 1;
      await this.#d.executor.killPod(last, state, grace);
      state = await this.#d.observer.observe(uid);
    }
    await this.#removeAll(uid, state);
    return { done: true };
  }

  async #removeAll(uid: string, state: PodRuntimeState): Promise<void> {
    if (state.containers.length || state.sandboxes.length) await this.#d.executor.removePod(state);
    // Only now: `kubectl logs` serves a terminated pod's logs while its object exists.
    await this.#d.executor.removePodLogs(uid);
    this.#d.observer.forget(uid);
    await this.#d.volumes.tearDown(uid);
    this.#d.status.forget(uid);
    this.#d.images.forgetPod(uid);
    this.#d.executor.backoff.forget(`_${uid}_`);
    this.#failures.delete(uid);
    this.#terminations.delete(uid);
  }

  #failuresOf(uid: string): Map<string, StartFailure> {
    let f = this.#failures.get(uid);
    if (!f) {
      f = new Map();
      this.#failures.set(uid, f);
    }
    return f;
  }
}

