/**
 * EndpointSlices to endpoints per Service port — kube-proxy's
 * EndpointSliceCache (pkg/proxy/endpointslicecache.go) and the address-type
 * filter of EndpointsChangeTracker.EndpointSliceUpdate (pkg/proxy/endpoints.go),
 * v1.33, for the IPv4 family.
 *
 *  - A slice belongs to the Service named by its `kubernetes.io/service-name`
 *    label in its own namespace; a slice without the label is ignored.
 *  - Only addressType IPv4 slices count (IPv6 ones belong to the other
 *    family's proxier; FQDN ones to no proxier).
 *  - A port without a name is ignored (the EndpointSlice controller writes
 *    `name: ""` for an unnamed Service port), as is port 0 or none; a port
 *    without a protocol is TCP, as the API server defaults it.
 *  - An endpoint is its first address; conditions default as the API
 *    documents: ready and serving when unset, terminating when set.
 *  - Endpoints are deduplicated by "ip:port" across slices (a local copy wins)
 *    and sorted by that string, so rules come out in a stable order.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isIPv4, isPort } from './ipv4.ts';
import { servicePortKey } from './service-port.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointInfo {
  ip: string;
  port: number;
  /** "ip:port": the identity kube-proxy hashes into the endpoint's chain name. */
  address: string;
  /** On this node (nodeName equals the proxy's node name). */
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** Endpoints by servicePortKey(namespace, service, port name, protocol). */
export type EndpointsMap = ReadonlyMap<string, readonly EndpointInfo[]>;

export function endpointsMapOf(slices: Iterable<EndpointSlice>, nodeName: string): EndpointsMap {
  const byKey = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    const namespace = slice.metadata?.namespace;
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!namespace || !service || slice.addressType !== 'IPv4') continue;
    for (const port of slice.ports ?? []) {
      if (port.name === undefined || port.name === null || !isPort(port.port)) continue;
      const key = servicePortKey(namespace, service, port.name, port.protocol ?? 'TCP');
      let set = byKey.get(key);
      if (!set) byKey.set(key, (set = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip || !isIPv4(ip)) continue;
        const address = `${ip}:${port.port}`;
        const isLocal = nodeName !== '' && ep.nodeName === nodeName;
        if (set.has(address) && !isLocal) continue;
        const c = ep.conditions ?? {};
        set.set(address, {
          ip,
          port: port.port,
          address,
          isLocal,
          ready: c.ready ?? true,
          serving: c.serving ?? true,
          terminating: c.terminating ?? false,
        });
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of byKey) {
    if (set.size === 0) continue;
    out.set(key, [...set.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)));
  }
  return out;
}
