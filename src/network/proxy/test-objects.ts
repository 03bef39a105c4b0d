/**
 * Test fixtures: Services and EndpointSlices as the API serves them, built
 * the way kube-proxy's tests build theirs (makeTestService,
 * makeTestEndpointSlice in pkg/proxy/iptables/proxier_test.go).
 */
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export function makeService(namespace: string, name: string, spec: ServiceSpec, status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { type: 'ClusterIP', ...spec }, status };
}

export function makeSlice(
  namespace: string,
  service: string,
  endpoints: Endpoint[],
  ports: EndpointPort[],
  sliceName = `${service}-1`,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: sliceName, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** One TCP port named `name`. */
export function tcpPort(name: string, port: number): EndpointPort {
  return { name, port, protocol: 'TCP' };
}

/** Rules grouped by chain, each chain's rules in order: what iptables keeps, independent of interleaving. */
export function rulesByChain(restoreInput: string, table: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const line of restoreInput.split('\n')) {
    if (line.startsWith('*')) current = line.slice(1);
    if (current !== table) continue;
    const decl = /^:(\S+) /.exec(line);
    if (decl && !out.has(decl[1])) out.set(decl[1], []);
    const rule = /^-A (\S+) /.exec(line);
    if (rule) {
      if (!out.has(rule[1])) out.set(rule[1], []);
      out.get(rule[1])!.push(line);
    }
  }
  return out;
}
