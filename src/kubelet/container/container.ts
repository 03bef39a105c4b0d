/**
 * container — the ground floor of the node agent: the vocabulary every
 * kubelet folder shares, as the kubelet keeps pkg/kubelet/container.
 *
 * Owns: what the runtime reports about a pod (`PodRuntimeState`), the pod
 * predicates the planner, the status generator, the prober and the volume
 * manager all ask (`isSidecar`, `shouldContainerBeRestarted`,
 * `sandboxChanged`, …), the probe results' two read views, why a container
 * did not start (`StartFailure`, `ContainerConfigError`), where pod events
 * go (`PodEventSink`, `fieldPathOf`), `$(VAR)` expansion (env values and
 * subPathExpr), downward-API field paths and resource values (env and
 * volumes), per-key exponential `Backoff` (crash loops, image pulls, mount
 * retries), Go's duration format, and the one `Clock` of the node agent
 * (berth's src/clock: `now`, timers, `sleep`, `every`, re-exported here) with
 * its one test double, `FakeClock`, which every kubelet test that moves time uses.
 *
 * Does not own: any decision or I/O — it plans nothing (runtime/), reports
 * nothing (status/), probes nothing (prober/), talks to no runtime (cri/).
 * It imports no other kubelet folder: every folder may import it; it imports
 * only the API vocabulary and the client's event recorder type.
 *
 * State: none of its own; a `Backoff` keeps its entries for whoever holds it.
 * Timers: none.
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
export { expand } from './expansion.ts';
export { DownwardApiError, fieldPathValue, findContainer, formatMap, resourceValue, resourceValueOf } from './downward-api.ts';
export type { NodeAllocatable } from './downward-api.ts';
export { Backoff } from './backoff.ts';
export { goDuration } from './go-duration.ts';
export { every, sleep, systemClock } from '../../clock/clock.ts';
export type { Clock, ClockTimer } from '../../clock/clock.ts';
