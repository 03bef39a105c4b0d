/**
 * API objects to the plain shapes DNS reads (coredns plugin/kubernetes/object
 * `ToService`, `EndpointSliceToEndpoints`, `ToPod`), for informer handlers:
 * `index.setService(dnsService(obj))`.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { DnsEndpointSlice, DnsPod, DnsService } from './cluster-view.ts';

/** The label naming the Service an EndpointSlice belongs to. */
export const serviceNameLabel = 'kubernetes.io/service-name';

export function dnsService(svc: Service): DnsService {
  const spec = svc.spec ?? {};
  const clusterIPs = spec.clusterIPs?.length ? [...spec.clusterIPs] : [spec.clusterIP ?? ''];
  return {
    namespace: svc.metadata?.namespace ?? 'default',
    name: svc.metadata?.name ?? '',
    type: spec.type ?? 'ClusterIP',
    clusterIPs,
    headless: clusterIPs[0] === 'None',
    externalName: spec.externalName ?? '',
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port })),
  };
}

export function dnsEndpointSlice(slice: EndpointSlice): DnsEndpointSlice {
  return {
    namespace: slice.metadata?.namespace ?? 'default',
    name: slice.metadata?.name ?? '',
    serviceName: slice.metadata?.labels?.[serviceNameLabel] ?? '',
    addressType: slice.addressType,
    endpoints: (slice.endpoints ?? []).map((e) => ({
      addresses: [...e.addresses],
      ...(e.conditions?.ready !== undefined ? { ready: e.conditions.ready } : {}),
      ...(e.conditions?.serving !== undefined ? { serving: e.conditions.serving } : {}),
      ...(e.conditions?.terminating !== undefined ? { terminating: e.conditions.terminating } : {}),
      ...(e.hostname ? { hostname: e.hostname } : {}),
      // CoreDNS ignores pod names too long to be a label.
      ...(e.targetRef?.kind === 'Pod' && e.targetRef.name && e.targetRef.name.length < 64 ? { targetRefName: e.targetRef.name } : {}),
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    })),
    ports: (slice.ports ?? []).map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
      ...(p.port !== undefined ? { port: p.port } : {}),
    })),
  };
}

export function dnsPod(pod: Pod): DnsPod {
  const status = pod.status ?? {};
  const ips = status.podIPs?.length ? status.podIPs.flatMap((p) => (p.ip ? [p.ip] : [])) : status.podIP ? [status.podIP] : [];
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    ips,
    ...(pod.spec?.hostname ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec?.subdomain ? { subdomain: pod.spec.subdomain } : {}),
  };
}
