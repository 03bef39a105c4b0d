/**
 * The Endpoints a Service should have, as kube-controller-manager's endpoint
 * controller computes them (endpoints_controller.go syncService and
 * RepackSubsets): one address per selected pod with an IP, ready or not-ready
 * by the pod's Ready condition (all ready with publishNotReadyAddresses),
 * each service port resolved per pod (a named targetPort the pod lacks drops
 * that port for that pod), subsets grouped by identical port sets. Pure.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../pod-readiness.ts';
import { endpointHostname, findPort, headlessLabel, isHeadless, podIP, shouldPodBeInEndpoints } from '../service-pods.ts';

function address(svc: Service, pod: Pod): EndpointAddress {
  const hostname = endpointHostname(svc, pod);
  return {
    ip: podIP(pod),
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
}

function portKey(ports: readonly EndpointPort[]): string {
  return JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port));
}

const byIP = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');

/** The subsets for `svc` from `pods` (any pods; those it does not select are ignored). */
export function desiredSubsets(svc: Service, pods: readonly Pod[], selected: (pod: Pod) => boolean): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[] }>();
  const add = (pod: Pod, ports: EndpointPort[]) => {
    const key = portKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, addresses: [], notReadyAddresses: [] }));
    (tolerateUnready || isPodReady(pod) ? g.addresses : g.notReadyAddresses).push(address(svc, pod));
  };
  for (const pod of pods) {
    if (!selected(pod) || !shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const servicePorts = svc.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      if (isHeadless(svc)) add(pod, []);
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add(pod, [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }]);
    }
  }
  // RepackSubsets: one subset per port set holding every address that has exactly those ports.
  const perAddress = new Map<string, { addr: EndpointAddress; ready: boolean; ports: EndpointPort[] }>();
  for (const g of groups.values()) {
    for (const [list, ready] of [[g.addresses, true], [g.notReadyAddresses, false]] as const) {
      for (const a of list) {
        const k = `${ready}|${a.ip}|${a.targetRef?.uid ?? ''}`;
        const e = perAddress.get(k) ?? { addr: a, ready, ports: [] };
        e.ports.push(...g.ports);
        perAddress.set(k, e);
      }
    }
  }
  const subsets = new Map<string, EndpointSubset & { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[] }>();
  for (const { addr, ready, ports } of perAddress.values()) {
    const key = portKey(ports);
    let s = subsets.get(key);
    if (!s) subsets.set(key, (s = { addresses: [], notReadyAddresses: [], ports: [...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port) }));
    (ready ? s.addresses : s.notReadyAddresses).push(addr);
  }
  return [...subsets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, s]) => ({
      ...(s.addresses.length ? { addresses: s.addresses.sort(byIP) } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.sort(byIP) } : {}),
      ...(s.ports && s.ports.length ? { ports: s.ports } : {}),
    }));
}

/** The labels of a Service's Endpoints: the Service's, plus the headless marker. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (isHeadless(svc)) labels[headlessLabel] = '';
  return labels;
}
