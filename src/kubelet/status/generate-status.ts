/**
 * Builds a pod's API status from what the runtime reports: the kubelet's
 * `generateAPIPodStatus` and `convertToAPIContainerStatuses` (v1.33,
 * pkg/kubelet/kubelet_pods.go). Pure: the previous status, the start-error
 * reasons and the probe results are inputs.
 *
 * Rules worth knowing:
 *  - every spec container starts as waiting `PodInitializing` (pods with init
 *    containers) or `ContainerCreating`;
 *  - a previous `terminated` status is kept when the runtime no longer has the
 *    container, so completed init containers stay completed;
 *  - the newest runtime instance gives `state`, the second newest `lastState`;
 *  - a container that will be restarted (by the pod's restartPolicy, sidecars
 *    included) and has a recorded start error shows that error as its waiting
 *    reason (CrashLoopBackOff, ErrImagePull, …);
 *  - volumeMounts come from the spec, then stay as first reported; a running
 *    container reports its resources (container-resources-status.ts);
 *  - containerStatuses are sorted by name, initContainerStatuses follow spec.
 */
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/api.ts';
import { rfc3339 } from '../../api/api.ts';
import { podQosClass } from '../../api/defaults/defaults.ts';
import {
  hasAnyActiveRegularContainerStarted,
  isSidecar,
  sandboxChanged,
  shouldContainerBeRestarted,
} from '../container/pod-predicates.ts';
import type { PodRuntimeState, RuntimeContainer } from '../container/pod-runtime-state.ts';
import { noProbes, type ProbeView } from '../container/probe-results.ts';
import type { StartFailure } from '../container/start-failure.ts';
import {
  containersReadyCondition,
  initializedCondition,
  kubeletConditionTypes,
  podReadyToStartContainersCondition,
  readyCondition,
} from './conditions.ts';
import { containerStatusResources } from './container-resources-status.ts';
import { getPhase, isTerminalPhase, type PodPhase } from './phase.ts';
import { volumeMountStatuses } from './volume-mount-status.ts';

export interface StatusInput {
  pod: Pod;
  state: PodRuntimeState;
  /** The status this kubelet last generated, else the pod's API status. */
  previous: PodStatus;
  /** Start failures by container name (the kubelet's reason cache). */
  failures: ReadonlyMap<string, StartFailure>;
  probes?: ProbeView;
  /** The pod is being torn down for good: no container will start again. */
  podIsTerminal: boolean;
  hostIP: string;
}

const cid = (c: RuntimeContainer) => `containerd://${c.id}`;
const time = (ms: number) => (ms > 0 ? rfc3339(ms) : null);

function convert(c: RuntimeContainer, old: ContainerStatus | undefined): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageRef,
    containerID: cid(c),
    ready: false,
    state: {},
    lastState: {},
  };
  // Immutable once reported: the runtime does not know volume names.
  if (old?.volumeMounts) s.volumeMounts = old.volumeMounts;
  switch (c.state) {
    case 'running':
      s.state = { running: { startedAt: time(c.startedAt) as string } };
      break;
    case 'created':
      s.state = { waiting: {} };
      break;
    case 'exited': {
      const t: NonNullable<ContainerState['terminated']> = {
        exitCode: c.exitCode,
        reason: c.reason || undefined,
        startedAt: time(c.startedAt) as string,
        finishedAt: time(c.finishedAt) as string,
        containerID: cid(c),
      };
      if (c.message) t.message = c.message;
      s.state = { terminated: t };
      break;
    }
    default:
      if (old?.state?.running) {
        s.state = {
          terminated: {
            reason: 'ContainerStatusUnknown',
            message: 'The container could not be located when the pod was terminated',
            exitCode: 137,
          },
        };
        s.restartCount = (old.restartCount ?? 0) + 1;
      } else {
        s.state = { waiting: {} };
      }
  }
  return s;
}

function convertStatuses(
  input: StatusInput,
  containers: Container[],
  previous: ContainerStatus[] | undefined,
  isInit: boolean,
): ContainerStatus[] {
  const { pod, state } = input;
  const hasInits = (pod.spec!.initContainers ?? []).length > 0;
  const defaultWaiting = hasInits ? 'PodInitializing' : 'ContainerCreating';
  const old = new Map((previous ?? []).map((s) => [s.name, s]));
  const statuses = new Map<string, ContainerStatus>();

  for (const c of containers) {
    let s: ContainerStatus = {
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      state: { waiting: { reason: defaultWaiting } },
      lastState: {},
      ready: false,
      restartCount: 0,
    };
    const mounts = volumeMountStatuses(c);
    if (mounts) s.volumeMounts = mounts;
    const o = old.get(c.name);
    if (o) {
      if (o.state?.terminated) s = structuredClone(o);
      else {
        s.restartCount = o.restartCount ?? 0;
        if (o.lastState && Object.keys(o.lastState).length) s.lastState = structuredClone(o.lastState);
      }
    }
    statuses.set(c.name, s);
  }

  // A container that was running but has vanished from the runtime.
  for (const c of containers) {
    if (state.containers.some((r) => r.name === c.name)) continue;
    const o = old.get(c.name);
    if (!o || o.state?.terminated || !o.state?.running) continue;
    const s = statuses.get(c.name)!;
    if (s.state?.waiting?.reason !== defaultWaiting || s.lastState?.terminated) continue;
    s.lastState = {
      terminated: {
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
        exitCode: 137,
      },
    };
    if (!pod.metadata?.deletionTimestamp) s.restartCount = (s.restartCount ?? 0) + 1;
  }

  const seen = new Map<string, number>();
  for (const r of state.containers) {
    if (!statuses.has(r.name)) continue;
    const n = seen.get(r.name) ?? 0;
    if (n >= 2) continue;
    const s = convert(r, old.get(r.name));
    if (s.state?.running) s.resources = containerStatusResources(containers.find((c) => c.name === r.name)!, s, old.get(r.name));
    if (n === 0) statuses.set(r.name, s);
    else statuses.get(r.name)!.lastState = s.state;
    seen.set(r.name, n + 1);
  }

  for (const c of containers) {
    const latest = state.containers.find((r) => r.name === c.name);
    if (isInit && latest && latest.state === 'exited' && latest.exitCode === 0) continue;
    // The pod's restartPolicy decides for sidecars too (v1.33 has no exception for
    // them here): a sidecar of a Never pod is restarted, yet shows its last exit
    // (terminated Error) between attempts, not CrashLoopBackOff.
    if (!shouldContainerBeRestarted(pod, c, state)) continue;
    const failure = input.failures.get(c.name);
    if (!failure) continue;
    const s = statuses.get(c.name)!;
    if (s.state?.terminated) s.lastState = s.state;
    s.state = { waiting: { reason: failure.reason, message: failure.message || undefined } };
  }

  const out = containers.map((c) => statuses.get(c.name)!);
  if (!isInit) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** The probe manager's `UpdatePodStatus`: `started` and `ready` flags. */
function setProbeFlags(pod: Pod, status: PodStatus, probes: ProbeView): void {
  const specOf = (name: string, init: boolean) =>
    (init ? pod.spec!.initContainers ?? [] : pod.spec!.containers).find((c) => c.name === name);
  const started = (s: ContainerStatus, spec: Container | undefined) => {
    if (!s.state?.running) return false;
    const id = (s.containerID ?? '').replace(/^containerd:\/\//, '');
    const r = probes.startup(id);
    if (r !== undefined) return r === 'success';
    return !spec?.startupProbe;
  };
  const ready = (s: ContainerStatus, spec: Container | undefined) => {
    if (!s.state?.running) return false;
    const id = (s.containerID ?? '').replace(/^containerd:\/\//, '');
    if (probes.readiness(id) === 'success') return true;
    return !spec?.readinessProbe;
  };
  for (const s of status.containerStatuses ?? []) {
    const spec = specOf(s.name, false);
    s.started = started(s, spec);
    if (s.started) s.ready = ready(s, spec);
  }
  for (const s of status.initContainerStatuses ?? []) {
    const spec = specOf(s.name, true);
    s.started = started(s, spec);
    if (spec && !isSidecar(spec)) {
      if (s.state?.terminated && s.state.terminated.exitCode === 0) s.ready = true;
      continue;
    }
    if (s.started) s.ready = ready(s, spec);
  }
}

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, state, previous } = input;
  const apiStatus = pod.status ?? {};
  const status: PodStatus = {};

  const latestSandbox = state.sandboxes[0];
  const ips = latestSandbox?.ready && latestSandbox.ip ? [latestSandbox.ip] : [];
  const podIPs = ips.length ? ips : (previous.podIPs ?? []).map((p) => p.ip);
  status.hostIP = input.hostIP;
  status.hostIPs = [{ ip: input.hostIP }];
  if (podIPs.length) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.qosClass = podQosClass(pod);
  status.startTime = previous.startTime ?? apiStatus.startTime;

  status.initContainerStatuses = convertStatuses(input, pod.spec!.initContainers ?? [], previous.initContainerStatuses, true);
  status.containerStatuses = convertStatuses(input, pod.spec!.containers, previous.containerStatuses, false);
  if (status.initContainerStatuses.length === 0) delete status.initContainerStatuses;

  setProbeFlags(pod, status, input.probes ?? noProbes);

  // Init and regular container names are unique across both lists: one list serves phase and conditions.
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  let phase: PodPhase = getPhase(pod, all, input.podIsTerminal, hasAnyActiveRegularContainerStarted(pod, state));
  if (!isTerminalPhase(phase)) {
    if (isTerminalPhase(previous.phase)) phase = previous.phase as PodPhase;
    else if (isTerminalPhase(apiStatus.phase)) phase = apiStatus.phase as PodPhase;
  }
  if (isTerminalPhase(apiStatus.phase) && phase !== apiStatus.phase) phase = apiStatus.phase as PodPhase;
  status.phase = phase;
  if (phase === previous.phase) {
    const reason = previous.reason || apiStatus.reason;
    const message = previous.message || apiStatus.message;
    if (reason) status.reason = reason;
    if (message) status.message = message;
  }

  const conditions: PodCondition[] = (apiStatus.conditions ?? []).filter((c) => !kubeletConditionTypes.has(c.type));
  conditions.push(podReadyToStartContainersCondition(!sandboxChanged(pod, state).create));
  conditions.push(initializedCondition(pod, all, phase));
  conditions.push(readyCondition(pod, conditions, all, phase));
  conditions.push(containersReadyCondition(pod, all, phase));
  conditions.push({ type: 'PodScheduled', status: 'True' });
  status.conditions = conditions;
  return status;
}
