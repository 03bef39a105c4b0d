/**
 * Which endpoints a Service port sends traffic to — kube-proxy's
 * CategorizeEndpoints (pkg/proxy/topology.go, v1.33), without topology hints
 * (one node: every hint would name it or its zone).
 *
 * "Usable" means ready; when no endpoint is ready, serving-and-terminating
 * endpoints are used instead (independently for the Cluster and the Local
 * set), so a rolling update that leaves only terminating pods keeps serving.
 */
import type { EndpointInfo } from './endpoints-map.ts';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './service-port.ts';

export interface CategorizedEndpoints {
  /** Endpoints for "Cluster" traffic policy; empty if the port never uses it. */
  cluster: EndpointInfo[];
  /** Endpoints on this node for "Local" traffic policy; empty if the port never uses it. */
  local: EndpointInfo[];
  /** The union of the two, sorted: every endpoint that gets a chain. */
  reachable: EndpointInfo[];
  /** Whether any usable endpoint exists anywhere (true even if `reachable` is empty). */
  hasAny: boolean;
}

const servingTerminating = (ep: EndpointInfo) => ep.serving && ep.terminating;

export function categorizeEndpoints(endpoints: readonly EndpointInfo[], svc: ServicePortInfo): CategorizedEndpoints {
  let cluster: EndpointInfo[] = [];
  let local: EndpointInfo[] = [];
  let hasAny = false;
  if (endpoints.length === 0) return { cluster, local, reachable: [], hasAny };

  if (usesClusterEndpoints(svc)) {
    cluster = endpoints.filter((ep) => ep.ready);
    if (cluster.length === 0) cluster = endpoints.filter(servingTerminating);
    if (cluster.length > 0) hasAny = true;
  }
  if (!usesLocalEndpoints(svc)) return { cluster, local, reachable: cluster, hasAny };

  if (endpoints.some((ep) => ep.ready || servingTerminating(ep))) hasAny = true;
  const localReady = endpoints.filter((ep) => ep.isLocal && ep.ready);
  local = localReady.length > 0 ? localReady : endpoints.filter((ep) => ep.isLocal && servingTerminating(ep));

  if (!usesClusterEndpoints(svc)) return { cluster, local, reachable: local, hasAny };
  const byAddress = new Map<string, EndpointInfo>();
  for (const ep of [...cluster, ...local]) byAddress.set(ep.address, ep);
  const reachable = [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { cluster, local, reachable, hasAny };
}
