/**
 * Test double: a small cluster as a ClusterIndex, built from API objects the
 * way the informer handlers will build it, and `render`, which prints a
 * record as dig does (`name ttl TYPE data`) so tables stay readable.
 */
import type { Answer } from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { ClusterIndex } from './cluster-index.ts';
import { dnsEndpointSlice, dnsService, serviceNameLabel } from './from-kubernetes.ts';

/** The SOA serial every fixture reports: 2025-01-01T00:00:00Z. */
export const fixtureSerial = 1735689600;

export function service(namespace: string, name: string, spec: Service['spec']): Service {
  return { metadata: { namespace, name }, spec };
}

export function slice(namespace: string, service: string, name: string, body: Omit<EndpointSlice, 'metadata'>): EndpointSlice {
  return { metadata: { namespace, name, labels: { [serviceNameLabel]: service } }, ...body };
}

/**
 * default/kubernetes, kube-system/kube-dns, and in `web`: a ClusterIP
 * service with one ready and one not-ready endpoint, a headless StatefulSet
 * service, a headless one whose slice publishes a not-ready pod, a headless
 * one without endpoints, one without ports, ExternalName services pointing
 * out of and into the zone, and a dual-stack service. `empty` is a namespace
 * with nothing in it.
 */
export function fixtureCluster(options: { synced?: boolean } = {}): ClusterIndex {
  const index = new ClusterIndex({ now: () => fixtureSerial * 1000 });
  for (const ns of ['default', 'kube-system', 'web', 'empty']) index.setNamespace(ns);
  const services: Service[] = [
    service('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
    service('kube-system', 'kube-dns', {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    }),
    service('web', 'frontend', { clusterIP: '10.96.10.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    service('web', 'db', { clusterIP: 'None', ports: [{ name: 'mysql', port: 3306, protocol: 'TCP' }] }),
    service('web', 'pub', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'peer', port: 2380, protocol: 'TCP' }] }),
    service('web', 'nobody', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    service('web', 'noports', { clusterIP: 'None' }),
    service('web', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
    service('web', 'alias', { type: 'ExternalName', externalName: 'frontend.web.svc.cluster.local' }),
    service('web', 'dual', {
      clusterIP: '10.96.10.30',
      clusterIPs: ['10.96.10.30', 'fd00:10:96::30'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    }),
  ];
  for (const s of services) index.setService(dnsService(s));

  const slices: EndpointSlice[] = [
    slice('web', 'frontend', 'frontend-abc', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: 'frontend-1' } },
        { addresses: ['10.244.0.6'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', name: 'frontend-2' } },
      ],
    }),
    slice('web', 'db', 'db-abc', {
      addressType: 'IPv4',
      ports: [{ name: 'mysql', port: 3306, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.0.7'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.244.0.8'], hostname: 'db-1', conditions: { ready: true } },
        { addresses: ['10.244.0.9'], hostname: 'db-2', conditions: { ready: false, serving: false } },
        // Unknown readiness counts as ready; no hostname answers under the dashed address.
        { addresses: ['10.244.0.10'] },
      ],
    }),
    slice('web', 'pub', 'pub-abc', {
      addressType: 'IPv4',
      ports: [{ name: 'peer', port: 2380, protocol: 'TCP' }],
      // publishNotReadyAddresses: the controller writes ready even though the pod is not serving.
      endpoints: [{ addresses: ['10.244.0.11'], hostname: 'pub-0', conditions: { ready: true, serving: false } }],
    }),
    slice('web', 'nobody', 'nobody-abc', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.0.13'], conditions: { ready: false, serving: true, terminating: true } }],
    }),
    slice('web', 'noports', 'noports-abc', { addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.12'] }] }),
  ];
  for (const s of slices) index.setEndpointSlice(dnsEndpointSlice(s));
  if (options.synced !== false) index.markSynced();
  return index;
}

/** A record as dig prints it, without the class: `frontend.web.svc.cluster.local. 30 A 10.96.10.20`. */
export function render(a: Answer): string {
  const name = a.name === '.' ? '.' : `${a.name}.`;
  const ttl = 'ttl' in a ? a.ttl : 0;
  switch (a.type) {
    case 'SRV':
      return `${name} ${ttl} SRV ${a.data.priority} ${a.data.weight} ${a.data.port} ${a.data.target}.`;
    case 'SOA':
      return `${name} ${ttl} SOA ${a.data.mname}. ${a.data.rname}. ${a.data.serial} ${a.data.refresh} ${a.data.retry} ${a.data.expire} ${a.data.minimum}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${name} ${ttl} ${a.type} ${a.data}.`;
    case 'TXT':
      return `${name} ${ttl} TXT ${JSON.stringify(Array.isArray(a.data) ? a.data.map(String) : String(a.data))}`;
    case 'OPT':
      return `. OPT ${a.udpPayloadSize}`;
    default:
      return `${name} ${ttl} ${a.type} ${'data' in a ? String(a.data) : ''}`;
  }
}
