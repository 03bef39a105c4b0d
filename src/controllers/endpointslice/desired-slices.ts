/**
 * The endpoints and ports a Service's EndpointSlices should hold, as
 * kube-controller-manager's EndpointSlice reconciler computes them
 * (endpointslice/reconciler.go, util podToEndpoint and getEndpointPorts):
 * every selected pod with an IP that is not finished, terminating ones
 * included; conditions ready (serving and not terminating, or always with
 * publishNotReadyAddresses), serving (the Ready condition) and terminating;
 * endpoints grouped by their resolved port set, at most 100 per slice. Pure.
 */
import type { EndpointPort, Endpoint } from 'kubernetes-types/discovery/v1.js';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../pod-readiness.ts';
import { endpointHostname, findPort, podIP, shouldPodBeInEndpoints } from '../service-pods.ts';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
export const maxEndpointsPerSlice = 100;

export interface DesiredSlice {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

function endpointFor(svc: Service, pod: Pod): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = endpointHostname(svc, pod);
  return {
    addresses: [podIP(pod)],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
}

function portsFor(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** The slices `svc` should have, grouped by port set and split at 100 endpoints, in a stable order. */
export function desiredSlices(svc: Service, pods: readonly Pod[], selected: (pod: Pod) => boolean): DesiredSlice[] {
  const byPorts = new Map<string, DesiredSlice>();
  const sorted = [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of sorted) {
    if (!selected(pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ports = portsFor(svc, pod);
    const key = JSON.stringify(ports);
    let g = byPorts.get(key);
    if (!g) byPorts.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(endpointFor(svc, pod));
  }
  const out: DesiredSlice[] = [];
  for (const g of byPorts.values()) {
    for (let i = 0; i < g.endpoints.length; i += maxEndpointsPerSlice) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + maxEndpointsPerSlice) });
  }
  return out;
}
