/**
 * One sync of one pod: observe the runtime, report status, then either tear
 * the pod down (deleted, or finished for good) or plan and execute the next
 * actions. Called only by the pod workers, one sync per pod at a time.
 *
 *   API object gone        → stop and remove everything, tear down volumes
 *   deleting or terminal   → stop everything (sidecars last); with deletion,
 *                            report the terminal phase and remove the object
 *   otherwise              → status, plan, execute; status again if start
 *                            failures changed (CrashLoopBackOff, ErrImagePull)
 */
import type { Pod, PodStatus } from '../api/api.ts';
import type { Client } from '../client/client.ts';
import { Message, Reason } from './events/events.ts';
import type { ImageManager } from './images/images.ts';
import type { PodExecutor } from './runtime/execute.ts';
import type { RuntimeObserver } from './runtime/observe.ts';
import { planPodActions, noProbeResults, type ProbeResults } from './runtime/plan-pod-actions.ts';
import type { PodEventSink } from './runtime/pod-events.ts';
import type { PodRuntimeState } from './runtime/pod-runtime-state.ts';
import { generatePodStatus, noProbes, type ProbeView, type StartFailure } from './status/generate-status.ts';
import type { StatusManager } from './status/status-manager.ts';
import type { VolumeManager } from './volumes/volumes.ts';

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
  probes?: () => { plan: ProbeResults; view: ProbeView };
  log: (msg: string) => void;
}

const terminalPhase = (p: string | undefined) => p === 'Succeeded' || p === 'Failed';

export class PodSyncer {
  #d: SyncDeps;
  /** Start failures per pod UID (the kubelet's reason cache). */
  #failures = new Map<string, Map<string, StartFailure>>();

  constructor(deps: SyncDeps) {
    this.#d = deps;
  }

  async sync(uid: string): Promise<{ requeueAfterMs?: number; done?: boolean }> {
    const pod = this.#d.desired(uid);
    const state = await this.#d.observer.observe(uid);
    if (!pod) {
      await this.#removeAll(uid, state);
      return { done: true };
    }
    const failures = this.#failuresOf(uid);
    const probes = this.#d.probes?.() ?? { plan: noProbeResults, view: noProbes };

    if (pod.metadata?.deletionTimestamp) return this.#terminate(pod, state, true);

    const status = this.#writeStatus(pod, state, failures, probes.view, false);
    if (terminalPhase(status.phase)) return this.#terminate(pod, state, false);

    const deadline = this.#activeDeadline(pod, status);
    if (deadline !== undefined && deadline <= 0) {
      this.#d.event(pod, undefined, 'Normal', Reason.DeadlineExceeded, Message.deadlineExceeded());
      this.#d.status.set(pod, { ...status, phase: 'Failed', reason: 'DeadlineExceeded', message: Message.deadlineExceeded() });
      return this.#terminate(pod, state, false);
    }

    const actions = planPodActions(pod, state, probes.plan);
    const before = JSON.stringify([...failures]);
    const result = await this.#d.executor.sync(pod, state, actions, failures);
    if (JSON.stringify([...failures]) !== before) {
      this.#writeStatus(pod, await this.#d.observer.observe(uid), failures, probes.view, false);
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

  #writeStatus(pod: Pod, state: PodRuntimeState, failures: Map<string, StartFailure>, view: ProbeView, terminal: boolean): PodStatus {
    const generated = generatePodStatus({
      pod,
      state,
      previous: this.#d.status.current(pod),
      failures,
      probes: view,
      podIsTerminal: terminal,
      hostIP: this.#d.hostIP,
    });
    return this.#d.status.set(pod, generated);
  }

  /**
   * Stops every container (sidecars after the regular ones) and the sandbox.
   * For a deleted pod, reports the terminal phase and removes the object.
   */
  async #terminate(pod: Pod, state: PodRuntimeState, deleting: boolean): Promise<{ requeueAfterMs?: number }> {
    const uid = pod.metadata!.uid!;
    const busy = state.containers.some((c) => c.state === 'running' || c.state === 'created') || state.sandboxes.some((s) => s.ready);
    let now = state;
    if (busy) {
      await this.#d.executor.killPod(pod, state);
      now = await this.#d.observer.observe(uid);
    }
    const status = this.#writeStatus(pod, now, this.#failuresOf(uid), noProbes, deleting);
    if (deleting) {
      const m = pod.metadata!;
      this.#d.client.pods.deleteFinal(m.namespace!, m.name!, uid);
    }
    void status;
    return {};
  }

  async #removeAll(uid: string, state: PodRuntimeState): Promise<void> {
    if (state.containers.length || state.sandboxes.length) {
      if (state.containers.some((c) => c.state === 'running') || state.sandboxes.some((s) => s.ready)) {
        await this.#d.executor.killPod(undefined, state, 0);
      }
      await this.#d.executor.removePod(state);
      this.#d.observer.forget(state.containers.map((c) => c.id));
    }
    await this.#d.volumes.tearDown(uid);
    this.#d.status.forget(uid);
    this.#d.images.forgetPod(uid);
    this.#d.executor.backoff.forget(`_${uid}_`);
    this.#failures.delete(uid);
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
