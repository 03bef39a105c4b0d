/**
 * `containerStatuses[].resources` of a running container (InPlacePodVerticalScaling,
 * beta and on in v1.33): convertContainerStatusResources in
 * convertToAPIContainerStatuses (pkg/kubelet/kubelet_pods.go). Pure.
 *
 * Contract: limits and requests "as applied". berth never resizes, so the
 * allocation is the spec's requests; containerd 1.6 reports no applied
 * resources over CRI, so cpu and memory limits and the cpu request come, as
 * in the kubelet without them, from the spec when the container has just
 * started (the previous status was not running, or was another container)
 * and from the previous status while the same container keeps running —
 * nothing when there is no previous status at all. The memory request and
 * ephemeral-storage come from the spec. Empty lists are left out (Go's
 * omitempty); the object itself is always there, `{}` for a container
 * without resources.
 */
import type { Container, ContainerStatus, ResourceRequirements } from '../../api/api.ts';

type ResourceList = Record<string, string>;

/** Keys in Go's order for a marshalled map: sorted. */
const sorted = (l: ResourceList): ResourceList => Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));

export function containerStatusResources(spec: Container, status: ContainerStatus, old: ContainerStatus | undefined): ResourceRequirements {
  const determine = (name: string, fromSpec: ResourceList, fromOld: ResourceList | undefined, out: ResourceList) => {
    if (!old) return;
    if (!old.state?.running || status.containerID !== old.containerID) {
      if (fromSpec[name] !== undefined) out[name] = fromSpec[name];
    } else if (fromOld?.[name] !== undefined) out[name] = fromOld[name];
  };
  const specLimits = spec.resources?.limits as ResourceList | undefined;
  const allocated = spec.resources?.requests as ResourceList | undefined;
  const out: ResourceRequirements = {};
  if (specLimits) {
    const limits: ResourceList = {};
    determine('cpu', specLimits, old?.resources?.limits as ResourceList | undefined, limits);
    determine('memory', specLimits, old?.resources?.limits as ResourceList | undefined, limits);
    if (specLimits['ephemeral-storage'] !== undefined) limits['ephemeral-storage'] = specLimits['ephemeral-storage'];
    if (Object.keys(limits).length) out.limits = sorted(limits);
  }
  if (allocated) {
    const requests: ResourceList = {};
    determine('cpu', allocated, old?.resources?.requests as ResourceList | undefined, requests);
    if (allocated.memory !== undefined) requests.memory = allocated.memory;
    if (allocated['ephemeral-storage'] !== undefined) requests['ephemeral-storage'] = allocated['ephemeral-storage'];
    if (Object.keys(requests).length) out.requests = sorted(requests);
  }
  return out;
}
