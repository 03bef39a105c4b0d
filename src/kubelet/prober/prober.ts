/**
 * prober — startup, readiness and liveness probes of a node's containers (the
 * kubelet's prober manager: pkg/kubelet/prober/prober_manager.go, worker.go).
 *
 * Owns: one worker per (pod, container, probe type) for regular containers
 * and sidecars, and the latest result per container id for each probe type.
 * Results feed the planner (`results`: startup and liveness, which kill and
 * restart) and the status generator (`view`: startup → `started`, readiness →
 * `ready`). Every failed attempt records a Warning `Unhealthy` event with the
 * kubelet's text (`Liveness probe failed: …`, `… probe errored: …`).
 *
 * Does not own: when containers run (the pod's sync tells the manager through
 * `update` what runs now), how commands reach a container (an injected
 * `ExecFn` over CRI ExecSync).
 *
 * A result that changes wakes the pod's worker at once (`onChange`): probe
 * results are events, not something the sync polls.
 *
 * State: in memory only; after a berth restart probes start over, as after a
 * kubelet restart. Timers: one per worker (its next attempt), on the injected
 * clock.
 */
import type { Container, Pod, Probe } from '../../api/api.ts';
import { systemClock, type Clock } from '../../clock/clock.ts';
import { fieldPathOf, type PodEventSink } from '../container/pod-events.ts';
import { isSidecar } from '../container/pod-predicates.ts';
import { latestContainer, type PodRuntimeState } from '../container/pod-runtime-state.ts';
import type { ProbeResult, ProbeResults, ProbeView } from '../container/probe-results.ts';
import { Reason } from '../events/events.ts';
import type { ExecFn } from './exec-action.ts';
import { ProbeWorker, type ContainerView, type ProbeType } from './probe-worker.ts';
import { runProbe, type ProbeOutcome } from './run-probe.ts';

export type { ExecFn } from './exec-action.ts';
export type { ProbeType } from './probe-worker.ts';

/** `maxProbeRetries`: an attempt that could not run is retried this many times. */
const maxAttempts = 3;

const typeName: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProberDeps {
  exec: ExecFn;
  event: PodEventSink;
  /** A result changed: the pod must sync. */
  onChange(uid: string): void;
  clock?: Clock;
}

interface PodEntry {
  pod: Pod;
  state: PodRuntimeState;
  podIP: string;
  terminating: boolean;
  workers: Map<string, ProbeWorker>;
}

function probeOf(c: Container, type: ProbeType): Probe | undefined {
  return type === 'liveness' ? c.livenessProbe : type === 'readiness' ? c.readinessProbe : c.startupProbe;
}

/** Containers that can have probes: sidecars and regular containers. */
function probedContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])];
}

export class ProbeManager {
  #d: ProberDeps;
  #clock: Clock;
  #pods = new Map<string, PodEntry>();
  #results: Record<ProbeType, Map<string, ProbeResult>> = { liveness: new Map(), readiness: new Map(), startup: new Map() };

  constructor(deps: ProberDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Startup and liveness results for the planner, by container id. */
  get results(): ProbeResults {
    return { startup: this.#results.startup, liveness: this.#results.liveness };
  }

  /** Startup and readiness results for the status generator. */
  get view(): ProbeView {
    return {
      startup: (id) => this.#results.startup.get(id),
      readiness: (id) => this.#results.readiness.get(id),
    };
  }

  /**
   * Tells the manager what runs for the pod now. Creates the pod's workers on
   * first sight and wakes those whose container changed. `terminating` stops
   * liveness and startup probing (readiness continues until `removePod`).
   */
  update(pod: Pod, state: PodRuntimeState, podIP: string, terminating: boolean): void {
    const uid = pod.metadata!.uid!;
    let entry = this.#pods.get(uid);
    const before = entry ? { state: entry.state, terminating: entry.terminating, podIP: entry.podIP } : undefined;
    if (!entry) {
      entry = { pod, state, podIP, terminating, workers: new Map() };
      this.#pods.set(uid, entry);
    }
    entry.pod = pod;
    entry.state = state;
    entry.podIP = podIP;
    entry.terminating = entry.terminating || terminating;
    for (const c of probedContainers(pod)) {
      for (const type of ['startup', 'readiness', 'liveness'] as const) {
        const probe = probeOf(c, type);
        if (!probe) continue;
        const key = `${c.name}/${type}`;
        let w = entry.workers.get(key);
        if (!w) {
          w = new ProbeWorker(type, probe, this.#host(entry, c, type), this.#clock);
          entry.workers.set(key, w);
          w.poke();
          continue;
        }
        if (w.stopped) continue;
        const was = before ? viewOf(before.state, c.name, pod) : undefined;
        const now = viewOf(state, c.name, pod);
        if (!was || was.containerId !== now.containerId || was.running !== now.running || (terminating && !before!.terminating)) {
          w.poke();
        }
      }
    }
  }

  /** Stops the pod's workers and forgets its results. */
  removePod(uid: string): void {
    const entry = this.#pods.get(uid);
    if (!entry) return;
    this.#pods.delete(uid);
    for (const w of entry.workers.values()) w.stop();
    for (const c of entry.state.containers) for (const m of Object.values(this.#results)) m.delete(c.id);
  }

  stop(): void {
    for (const uid of [...this.#pods.keys()]) this.removePod(uid);
  }

  #host(entry: PodEntry, c: Container, type: ProbeType) {
    return {
      container: (): ContainerView => viewOf(entry.state, c.name, entry.pod),
      terminating: () => entry.terminating,
      started: (id: string) => !c.startupProbe || this.#results.startup.get(id) === 'success',
      attempt: (id: string) => this.#attempt(entry, c, type, id),
      setResult: (id: string, result: ProbeResult | undefined, silent: boolean) => this.#set(entry, c, type, id, result, silent),
    };
  }

  async #attempt(entry: PodEntry, c: Container, type: ProbeType, containerId: string): Promise<ProbeOutcome> {
    const probe = probeOf(c, type)!;
    let outcome: ProbeOutcome = { result: 'unknown', error: '' };
    for (let i = 0; i < maxAttempts; i++) {
      try {
        outcome = await runProbe(probe, { containerId, container: c, podIP: entry.podIP }, this.#d.exec);
      } catch (err) {
        outcome = { result: 'unknown', error: err instanceof Error ? err.message : String(err) };
      }
      if (outcome.result !== 'unknown') break;
    }
    if (!this.#pods.has(entry.pod.metadata!.uid!)) return outcome;
    const fieldPath = fieldPathOf(entry.pod, c.name);
    if (outcome.result === 'unknown') {
      this.#d.event(entry.pod, fieldPath, 'Warning', Reason.Unhealthy, `${typeName[type]} probe errored: ${outcome.error}`);
    } else if (outcome.result === 'failure') {
      this.#d.event(entry.pod, fieldPath, 'Warning', Reason.Unhealthy, `${typeName[type]} probe failed: ${outcome.output}`);
    } else if (outcome.result === 'warning') {
      this.#d.event(entry.pod, fieldPath, 'Warning', Reason.ProbeWarning, `${typeName[type]} probe warning: ${outcome.output}`);
    }
    return outcome;
  }

  #set(entry: PodEntry, c: Container, type: ProbeType, id: string, result: ProbeResult | undefined, silent: boolean): void {
    const m = this.#results[type];
    const prev = m.get(id);
    if (result === undefined) m.delete(id);
    else m.set(id, result);
    if (silent || prev === result || !this.#pods.has(entry.pod.metadata!.uid!)) return;
    if (type === 'startup' && result === 'success') {
      // Started: readiness runs at once (the kubelet's manual trigger).
      entry.workers.get(`${c.name}/readiness`)?.trigger();
    }
    this.#d.onChange(entry.pod.metadata!.uid!);
  }
}

function viewOf(state: PodRuntimeState, name: string, pod: Pod): ContainerView {
  const c = latestContainer(state, name);
  if (!c) return { containerId: '', running: false, startedAt: 0, final: false };
  return {
    containerId: c.id,
    running: c.state === 'running',
    startedAt: c.startedAt,
    final: c.state === 'exited' && pod.spec?.restartPolicy === 'Never',
  };
}
