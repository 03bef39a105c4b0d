/**
 * The lookups behind every answer in the cluster zone: which services, pods
 * and endpoints a parsed name stands for (coredns plugin/kubernetes
 * kubernetes.go `Records`, `findServices`, `findPods`, `endpointHostname`;
 * reverse.go `serviceRecordForIP`). They return CoreDNS's intermediate
 * `msg.Service` shape, `Target`, which backend.ts turns into records.
 */
import type { ClusterView, DnsEndpoint, DnsEndpointSlice } from './cluster-view.ts';
import { isSubdomain, join } from './dns-name.ts';
import { canonicalIP, ipFamily } from './ip.ts';
import { parseRequest } from './parse-request.ts';
import type { RecordRequest } from './parse-request.ts';

/**
 * One thing a name resolves to (CoreDNS `msg.Service`): an address or, for
 * an ExternalName service, a host name; the port for SRV (-1 when the
 * object declares none, 0 for pods); and `domain`, the name an SRV record
 * targets (CoreDNS `msg.Domain(Key)`).
 */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly domain: string;
}

/**
 * CoreDNS's name errors (`IsNameError`): `errNoItems`, `errNsNotExposed` and
 * `errInvalidRequest` all answer NXDOMAIN; they are kept apart for tests.
 */
export type NameError = 'no-items' | 'namespace-not-exposed' | 'invalid-request';

export interface Found {
  readonly targets: readonly Target[];
  readonly error?: NameError;
}

/** How `<a-b-c-d>.<ns>.pod.<zone>` names answer (the plugin's `pods` option). */
export type PodMode = 'disabled' | 'verified' | 'insecure';

export interface FindOptions {
  readonly podMode: PodMode;
  /** The zones under which every name is a reverse name (`dnsutil.IsReverse`). */
  readonly reverseZones: readonly string[];
}

const nothing: Found = { targets: [] };

/**
 * `Records`: `name` lower case and absolute; `zone` the matched zone as the
 * question spells it. Only the zone's spelling reaches the SRV target names.
 */
export function findRecords(view: ClusterView, name: string, zone: string, options: FindOptions): Found {
  const parsed = parseRequest(name, zone.toLowerCase());
  if (!parsed.ok) return { targets: [], error: 'invalid-request' };
  const r = parsed.request;
  if (r.podOrSvc === '') return nothing;
  if (options.reverseZones.some((z) => isSubdomain(z, name))) return { targets: [], error: 'no-items' };
  if (!view.namespaceExists(r.namespace)) return { targets: [], error: 'namespace-not-exposed' };
  return r.podOrSvc === 'pod' ? findPods(view, r, zone, options.podMode) : findServices(view, r, zone);
}

function findPods(view: ClusterView, r: RecordRequest, zone: string, podMode: PodMode): Found {
  if (podMode === 'disabled') return { targets: [], error: 'no-items' };
  const podname = r.service;
  if (podname === '') return nothing; // NODATA: the namespace exists.

  const ip = dashesToIP(podname);
  const domain = join(podname, r.namespace, 'pod', zone);
  if (podMode === 'insecure') {
    // Answered without looking the pod up: kube-dns compatibility.
    if (ipFamily(ip) === undefined) return { targets: [], error: 'no-items' };
    return { targets: [{ host: ip, port: 0, domain }] };
  }
  const canonical = canonicalIP(ip);
  const targets: Target[] = [];
  if (canonical !== undefined) {
    for (const pod of view.podsByIP(canonical)) {
      if (pod.namespace.toLowerCase() === r.namespace) targets.push({ host: ip, port: 0, domain });
    }
  }
  return targets.length > 0 ? { targets } : { targets, error: 'no-items' };
}

/** `1-2-3-4` → `1.2.3.4`; anything else with dashes is read as IPv6 (`fd00--1` → `fd00::1`). */
function dashesToIP(label: string): string {
  const dashes = label.split('-').length - 1;
  if (dashes === 3 && !label.includes('--')) return label.replaceAll('-', '.');
  return label.replaceAll('-', ':');
}

function findServices(view: ClusterView, r: RecordRequest, zone: string): Found {
  if (r.service === '') return nothing; // NODATA: the namespace exists.
  const svc = view.service(r.namespace, r.service);
  if (svc === undefined) return { targets: [], error: 'no-items' };

  const serviceDomain = join(svc.name, svc.namespace, 'svc', zone);
  if (svc.type === 'ExternalName') {
    // An external service has no endpoints or ports below its name.
    if (r.endpoint !== '' || r.port !== '' || r.protocol !== '') return { targets: [], error: 'no-items' };
    if (ipFamily(svc.externalName) !== undefined || svc.externalName === '') return { targets: [], error: 'no-items' };
    return { targets: [{ host: svc.externalName, port: -1, domain: serviceDomain }] };
  }

  let found = false;
  const targets: Target[] = [];
  if (svc.headless || r.endpoint !== '') {
    for (const slice of view.endpointSlices(svc.namespace, svc.name)) {
      const ports = slicePorts(slice);
      for (const endpoint of slice.endpoints) {
        if (!isReady(endpoint)) continue;
        for (const address of endpoint.addresses) {
          const hostname = endpointHostname(endpoint, address);
          if (r.endpoint !== '' && r.endpoint !== hostname.toLowerCase()) continue;
          for (const p of ports) {
            if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
            found = true;
            targets.push({ host: address, port: p.port, domain: join(hostname, serviceDomain) });
          }
        }
      }
    }
    return found ? { targets } : { targets, error: 'no-items' };
  }

  // A ClusterIP service: one target per port and cluster IP.
  const ports = svc.ports.length > 0 ? svc.ports : [{ name: '', protocol: '', port: -1 }];
  for (const p of ports) {
    if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
    found = true;
    for (const ip of svc.clusterIPs) targets.push({ host: ip, port: p.port, domain: serviceDomain });
  }
  return found ? { targets } : { targets, error: 'no-items' };
}

/** A slice's ports with CoreDNS's defaults: -1 and `""` for absent fields, one sentinel when there are none. */
function slicePorts(slice: DnsEndpointSlice): { name: string; protocol: string; port: number }[] {
  if (slice.ports.length === 0) return [{ name: '', protocol: '', port: -1 }];
  return slice.ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? '', port: p.port ?? -1 }));
}

/** `conditions.ready`, unknown counting as ready (object/endpoint.go `endpointsliceReady`). */
export function isReady(endpoint: DnsEndpoint): boolean {
  return endpoint.ready !== false;
}

/**
 * The label an endpoint answers under: its hostname, else its address with
 * dashes (the plugin's `endpoint_pod_names` option, off in kubeadm's
 * Corefile, is not offered).
 */
export function endpointHostname(endpoint: DnsEndpoint, address: string): string {
  if (endpoint.hostname) return endpoint.hostname;
  if (address.includes('.')) return address.replaceAll('.', '-');
  if (address.includes(':')) return address.replaceAll(':', '-');
  return '';
}

/** The port and protocol of a name match the object's, an absent one matching any (`matchPortAndProtocol`). */
function matchPortAndProtocol(aPort: string, bPort: string, aProtocol: string, bProtocol: string): boolean {
  return (aPort === '' || aPort === bPort.toLowerCase()) && (aProtocol === '' || aProtocol === bProtocol.toLowerCase());
}

/**
 * The names a reverse lookup of `ip` answers (`serviceRecordForIP`): the
 * first service with that cluster IP, else every ready endpoint with that
 * address, under `zone` (the plugin's primary zone).
 */
export function namesForIP(view: ClusterView, ip: string, zone: string): string[] {
  for (const svc of view.servicesByIP(ip)) return [join(svc.name, svc.namespace, 'svc', zone)];
  const names: string[] = [];
  for (const slice of view.endpointSlicesByIP(ip)) {
    for (const endpoint of slice.endpoints) {
      if (!isReady(endpoint)) continue;
      for (const address of endpoint.addresses) {
        if (canonicalIP(address) !== ip) continue;
        names.push(join(endpointHostname(endpoint, address), slice.serviceName, slice.namespace, 'svc', zone));
      }
    }
  }
  return names;
}
