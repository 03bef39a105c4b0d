/**
 * The pure planner: given a pod's spec, what the runtime reports for it, and
 * the probe results, decide what to kill, create and start in this sync.
 *
 * A port of the kubelet's `computePodActions` (pkg/kubelet/kuberuntime/
 * kuberuntime_manager.go) and `computeInitContainerActions`
 * (kuberuntime_container.go), v1.33, native sidecars on. No I/O, no clock:
 * crash-loop backoff is applied by the executor when it starts a container
 * (as the kubelet's `doBackOff`).
 *
 * State machine of initialization (`computeInitContainerActions`): init
 * containers are walked from last to first; the newest one with a runtime
 * instance is the frontier. A regular init container must exit 0 before the
 * next starts; a sidecar (`restartPolicy: Always`) only has to be *started*
 * (running, and its startupProbe passed). Once any regular container exists
 * in state created or running, the pod has initialized and regular init
 * containers never run again.
 */
import type { Container, Pod } from '../../api/api.ts';
import { latestContainer, type PodRuntimeState, type RuntimeContainer } from '../container/pod-runtime-state.ts';
import {
  hasAnyRegularContainerCreated,
  isInitContainerFailed,
  isSidecar,
  sandboxChanged,
  shouldContainerBeRestarted,
} from '../container/pod-predicates.ts';
import { noProbeResults, type ProbeResults } from '../container/probe-results.ts';
import { containerHash } from './labels.ts';

export const KillReason = {
  None: '',
  StartupProbe: 'StartupProbe',
  LivenessProbe: 'LivenessProbe',
  Unknown: 'Unknown',
  DefinitionChanged: 'DefinitionChanged',
  FailedPostStartHook: 'FailedPostStartHook',
} as const;
export type KillReason = (typeof KillReason)[keyof typeof KillReason];

export interface ContainerToKill {
  id: string;
  name: string;
  /** The Killing event message. */
  message: string;
  reason: KillReason;
}

export interface PodActions {
  /** Kill every container and the sandbox (sandbox changed, or nothing left to run). */
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox to use (or the one being replaced). */
  sandboxId: string;
  attempt: number;
  /** Indices into spec.initContainers, in spec order. */
  initContainersToStart: number[];
  /** Indices into spec.containers, in spec order. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

function shouldRestartOnFailure(pod: Pod): boolean {
  return pod.spec?.restartPolicy !== 'Never';
}

function containerSucceeded(state: PodRuntimeState, name: string): boolean {
  const c = latestContainer(state, name);
  return !!c && c.state === 'exited' && c.exitCode === 0;
}

function changed(spec: Container, c: RuntimeContainer): boolean {
  return c.hash !== '' && c.hash !== containerHash(spec);
}

/** `hasAnyRegularContainerCreated` of kuberuntime_container.go: created, running or exited. */
function hasAnyRegularContainerEverCreated(pod: Pod, state: PodRuntimeState): boolean {
  return (pod.spec?.containers ?? []).some((c) => {
    const s = latestContainer(state, c.name);
    return !!s && (s.state === 'created' || s.state === 'running' || s.state === 'exited');
  });
}

export function planPodActions(pod: Pod, state: PodRuntimeState, probes: ProbeResults = noProbeResults): PodActions {
  const spec = pod.spec!;
  const sb = sandboxChanged(pod, state);
  const actions: PodActions = {
    killPod: sb.create,
    createSandbox: sb.create,
    sandboxId: sb.sandboxId,
    attempt: sb.attempt,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: [],
  };

  if (sb.create) {
    if (!shouldRestartOnFailure(pod) && sb.attempt !== 0 && state.containers.length !== 0) {
      // A Never pod whose sandbox went away is not brought back.
      actions.createSandbox = false;
      return actions;
    }
    const toStart: number[] = [];
    spec.containers.forEach((c, i) => {
      if (spec.restartPolicy === 'OnFailure' && containerSucceeded(state, c.name)) return;
      toStart.push(i);
    });
    if (toStart.length === 0 && hasAnyRegularContainerEverCreated(pod, state)) {
      actions.createSandbox = false;
      return actions;
    }
    if ((spec.initContainers ?? []).length > 0) {
      actions.initContainersToStart = [0];
      return actions;
    }
    actions.containersToStart = toStart;
    return actions;
  }

  const initialized = computeInitContainerActions(pod, state, probes, actions);
  if (actions.killPod || !initialized) return actions;

  let keepCount = 0;
  spec.containers.forEach((c, idx) => {
    const s = latestContainer(state, c.name);
    if (!s || s.state !== 'running') {
      if (shouldContainerBeRestarted(pod, c, state)) {
        actions.containersToStart.push(idx);
        if (s && s.state === 'unknown') {
          actions.containersToKill.push({
            id: s.id,
            name: c.name,
            message: `Container is in "unknown" state, try killing it before restart`,
            reason: KillReason.Unknown,
          });
        }
      }
      return;
    }
    let message: string;
    let reason: KillReason;
    let restart = shouldRestartOnFailure(pod);
    if (changed(c, s)) {
      message = `Container ${c.name} definition changed`;
      reason = KillReason.DefinitionChanged;
      // A changed definition restarts under every policy, Never included.
      restart = true;
    } else if (probes.liveness.get(s.id) === 'failure') {
      message = `Container ${c.name} failed liveness probe`;
      reason = KillReason.LivenessProbe;
    } else if (probes.startup.get(s.id) === 'failure') {
      message = `Container ${c.name} failed startup probe`;
      reason = KillReason.StartupProbe;
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      actions.containersToStart.push(idx);
    }
    actions.containersToKill.push({ id: s.id, name: c.name, message, reason });
  });

  if (keepCount === 0 && actions.containersToStart.length === 0) {
    // Every regular container is done for good: the pod completes, and its
    // sidecars are not restarted.
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}

/**
 * Fills init-container actions; returns whether the pod is initialized.
 * Mirrors the kubelet's reverse walk exactly, including its quirks.
 */
function computeInitContainerActions(pod: Pod, state: PodRuntimeState, probes: ProbeResults, actions: PodActions): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;

  let podHasInitialized = hasAnyRegularContainerCreated(pod, state);
  let isPreviouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const toStart: number[] = [];

  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i];
    const sidecar = isSidecar(c);
    const s = latestContainer(state, c.name);
    if (!s) {
      if (isPreviouslyInitialized && sidecar) toStart.push(i);
      continue;
    }
    if (isPreviouslyInitialized && !sidecar) continue;

    switch (s.state) {
      case 'created':
        // Created but never started: the runtime failed to start it; retry.
        toStart.push(i);
        break;
      case 'running': {
        if (!sidecar) break; // the frontier: wait for it to finish
        if (c.startupProbe) {
          const startup = probes.startup.get(s.id);
          if (startup === undefined) break; // wait for the first probe result
          if (startup !== 'success') {
            actions.containersToKill.push({
              id: s.id,
              name: c.name,
              message: `Init container ${c.name} failed startup probe`,
              reason: KillReason.StartupProbe,
            });
            toStart.push(i);
            break;
          }
        }
        if (i === inits.length - 1) podHasInitialized = true;
        else if (!isPreviouslyInitialized) toStart.push(i + 1);
        if (changed(c, s)) {
          actions.containersToKill.push({
            id: s.id,
            name: c.name,
            message: `Init container ${c.name} definition changed`,
            reason: KillReason.DefinitionChanged,
          });
          toStart.push(i);
          break;
        }
        if (c.livenessProbe && probes.liveness.get(s.id) === 'failure') {
          actions.containersToKill.push({
            id: s.id,
            name: c.name,
            message: `Init container ${c.name} failed liveness probe`,
            reason: KillReason.LivenessProbe,
          });
          toStart.push(i);
        }
        break;
      }
      case 'exited':
        if (sidecar) {
          toStart.push(i);
        } else if (isInitContainerFailed(s)) {
          if (!restartOnFailure) {
            actions.killPod = true;
            actions.initContainersToStart = [];
            return false;
          }
          toStart.push(i);
        } else if (i === inits.length - 1) {
          podHasInitialized = true;
        } else {
          toStart.push(i + 1);
        }
        break;
      default:
        // Unknown state.
        if (!sidecar && !restartOnFailure) {
          actions.killPod = true;
          actions.initContainersToStart = [];
          return false;
        }
        actions.containersToKill.push({
          id: s.id,
          name: c.name,
          message: `Init container is in "unknown" state, try killing it before restart`,
          reason: KillReason.Unknown,
        });
        toStart.push(i);
    }
    isPreviouslyInitialized = true;
  }

  if (!isPreviouslyInitialized) toStart.push(0);
  actions.initContainersToStart = toStart.reverse();
  return podHasInitialized;
}
