/**
 * The pure planner: given a pod's spec, what the runtime reports for it, and
 * the probe results, decide what to kill, create and start in this sync.
 *
 * A port of the kubelet's `computePodActions` / `computeInitContainerActions`
 * (v1.33, native sidecars on). No I/O, no clock: crash-loop backoff is applied
 * by the executor when it starts a container (as the kubelet's `doBackOff`).
 *
 * State machine of initialization (kubelet-semantics.md §4.2): init containers
 * are walked from last to first; the newest one with a runtime instance is the
 * frontier. A regular init container must exit 0 before the next starts; a
 * sidecar (`restartPolicy: Always`) only has to be *started* (running, and its
 * startupProbe passed). Once any regular container exists in state created or
 * running, the pod has initialized and regular init containers never run again.
 */
import type { Container, Pod } from '../../api/api.ts';
import { containerHash } from './labels.ts';
import { latestContainer, type PodRuntimeState, type RuntimeContainer } from './pod-runtime-state.ts';

export type ProbeResult = 'success' | 'failure';

export interface ProbeResults {
  /** Keyed by container id; absent means "not probed yet". */
  startup: ReadonlyMap<string, ProbeResult>;
  liveness: ReadonlyMap<string, ProbeResult>;
}

export const noProbeResults: ProbeResults = { startup: new Map(), liveness: new Map() };

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

export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function shouldRestartOnFailure(pod: Pod): boolean {
  return pod.spec?.restartPolicy !== 'Never';
}

/** Failure for a regular init container: non-zero exit, OOMKilled, or unknown state. */
export function isInitContainerFailed(c: RuntimeContainer): boolean {
  if (c.reason === 'OOMKilled') return true;
  if (c.state === 'exited' && c.exitCode !== 0) return true;
  return c.state === 'unknown';
}

function containerSucceeded(state: PodRuntimeState, name: string): boolean {
  const c = latestContainer(state, name);
  return !!c && c.state === 'exited' && c.exitCode === 0;
}

function changed(spec: Container, c: RuntimeContainer): boolean {
  return c.hash !== '' && c.hash !== containerHash(spec);
}

/** `ShouldContainerBeRestarted` for a regular container. */
export function shouldContainerBeRestarted(pod: Pod, c: Container, state: PodRuntimeState): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const s = latestContainer(state, c.name);
  if (!s) return true;
  if (s.state === 'running') return false;
  if (s.state === 'unknown' || s.state === 'created') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

/** `PodSandboxChanged`: whether a (new) sandbox must be created. */
export function sandboxChanged(pod: Pod, state: PodRuntimeState): { create: boolean; attempt: number; sandboxId: string } {
  if (state.sandboxes.length === 0) return { create: true, attempt: 0, sandboxId: '' };
  const latest = state.sandboxes[0];
  const readyCount = state.sandboxes.filter((s) => s.ready).length;
  if (readyCount > 1 || !latest.ready) return { create: true, attempt: latest.attempt + 1, sandboxId: latest.id };
  const hostNetwork = pod.spec?.hostNetwork === true;
  if (latest.hostNetwork !== hostNetwork) return { create: true, attempt: latest.attempt + 1, sandboxId: '' };
  if (!hostNetwork && latest.ip === '') return { create: true, attempt: latest.attempt + 1, sandboxId: latest.id };
  return { create: false, attempt: latest.attempt, sandboxId: latest.id };
}

/**
 * Whether any regular container of the pod exists in state created or running
 * (the initialization test of `computeInitContainerActions`: exited instances
 * may be left over from an earlier sandbox, so they do not count).
 */
export function hasAnyRegularContainerCreated(pod: Pod, state: PodRuntimeState): boolean {
  return (pod.spec?.containers ?? []).some((c) => {
    const s = latestContainer(state, c.name);
    return !!s && (s.state === 'created' || s.state === 'running');
  });
}

/** `hasAnyRegularContainerCreated` of kuberuntime_container.go: created, running or exited. */
function hasAnyRegularContainerEverCreated(pod: Pod, state: PodRuntimeState): boolean {
  return (pod.spec?.containers ?? []).some((c) => {
    const s = latestContainer(state, c.name);
    return !!s && (s.state === 'created' || s.state === 'running' || s.state === 'exited');
  });
}

/**
 * `HasAnyActiveRegularContainerStarted`: some regular container has an
 * instance in the newest sandbox (the pod's phase test of initialization).
 */
export function hasAnyActiveRegularContainerStarted(pod: Pod, state: PodRuntimeState): boolean {
  const current = state.sandboxes[0]?.id;
  if (!current) return false;
  const names = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  return state.containers.some((c) => names.has(c.name) && c.sandboxId === current);
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
