/**
 * container — the ground floor of the node agent: the vocabulary every
 * kubelet folder shares, as the kubelet keeps pkg/kubelet/container.
 *
 * Owns: what the runtime reports about a pod (`PodRuntimeState`), the pod
 * predicates the planner, the status generator, the prober and the volume
 * manager all ask (`isSidecar`, `shouldContainerBeRestarted`,
 * `sandboxChanged`, …), the probe results' two read views, why a container
 * did not start (`StartFailure`, `ContainerConfigError`), and where pod
 * events go (`PodEventSink`, `fieldPathOf`).
 *
 * Does not own: anything with behaviour over time or I/O of its own — it
 * plans nothing (runtime/), reports nothing (status/), probes nothing
 * (prober/). It imports no other kubelet folder: every folder may import it,
 * it imports only the API vocabulary and the client's event recorder type.
 *
 * State: none. Timers: none.
 */
export type { PodRuntimeState, RuntimeContainer, RuntimeContainerState, RuntimeSandbox } from './pod-runtime-state.ts';
export { instancesOf, latestContainer } from './pod-runtime-state.ts';
export {
  hasAnyActiveRegularContainerStarted,
  hasAnyRegularContainerCreated,
  isInitContainerFailed,
  isSidecar,
  sandboxChanged,
  shouldContainerBeRestarted,
} from './pod-predicates.ts';
export { noProbeResults, noProbes } from './probe-results.ts';
export type { ProbeResult, ProbeResults, ProbeView } from './probe-results.ts';
export { ContainerConfigError } from './start-failure.ts';
export type { StartFailure } from './start-failure.ts';
export { fieldPathOf, podEventSink } from './pod-events.ts';
export type { PodEventSink } from './pod-events.ts';
