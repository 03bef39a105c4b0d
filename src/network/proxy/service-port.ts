/**
 * The proxy's view of one Service port, and its conversion from a
 * kubernetes-types Service — kube-proxy's BaseServicePortInfo and
 * newBaseServiceInfo (pkg/proxy/serviceport.go), ShouldSkipService
 * (pkg/proxy/util/utils.go) and ServicePortName.String() (pkg/proxy/types.go),
 * v1.33, for the IPv4 family only.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import { isIPv4, isPort } from './ipv4.ts';

export const Protocols = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof Protocols)[number];

/** kube-apiserver's default for sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_STICKY_SECONDS = 10800;

export interface ServicePortInfo {
  namespace: string;
  serviceName: string;
  /** The port's name, "" when the Service has one unnamed port. */
  portName: string;
  /** "ns/name:port", or "ns/name" for an unnamed port: what kube-proxy hashes and puts in comments. */
  name: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0: none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress IPs in VIP mode; none while the ingress is `<pending>`. */
  loadBalancerVIPs: string[];
  /** Seconds a client sticks to its endpoint (sessionAffinity ClientIP); undefined: no affinity. */
  stickySeconds: number | undefined;
  /** externalTrafficPolicy Local on a NodePort or LoadBalancer Service. */
  externalPolicyLocal: boolean;
  /** internalTrafficPolicy Local. */
  internalPolicyLocal: boolean;
}

/** The key endpoints are looked up by: namespace, Service, port name and protocol (ServicePortName). */
export function servicePortKey(namespace: string, serviceName: string, portName: string, protocol: string): string {
  return `${namespace}/${serviceName}:${portName}/${protocol}`;
}

export function keyOf(p: ServicePortInfo): string {
  return servicePortKey(p.namespace, p.serviceName, p.portName, p.protocol);
}

/** Reachable other than by the cluster IP (NodePort, external IP, load balancer IP). */
export function externallyAccessible(p: ServicePortInfo): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
}

/** Ever sends traffic to "Cluster"-policy endpoints (also needed to short-circuit Local external traffic). */
export function usesClusterEndpoints(p: ServicePortInfo): boolean {
  return !p.internalPolicyLocal || externallyAccessible(p);
}

export function usesLocalEndpoints(p: ServicePortInfo): boolean {
  return p.internalPolicyLocal || (p.externalPolicyLocal && externallyAccessible(p));
}

/**
 * The ports of `service` the proxy programs: none for a headless Service
 * (clusterIP None or empty), an ExternalName Service, or one without an IPv4
 * cluster IP. Values that could not be written as iptables rules (a bad port,
 * a malformed address) leave out that port or that address, never the node's
 * whole transaction.
 */
export function servicePortsOf(service: Service): ServicePortInfo[] {
  const spec = service.spec;
  const namespace = service.metadata?.namespace ?? '';
  const serviceName = service.metadata?.name ?? '';
  if (!spec || !namespace || !serviceName) return [];
  if (spec.clusterIP === 'None' || !spec.clusterIP) return [];
  if (spec.type === 'ExternalName') return [];
  // GetClusterIPByFamily: the IPv4 one of clusterIPs (dual-stack), else clusterIP.
  const clusterIP = [...(spec.clusterIPs ?? []), spec.clusterIP].find(isIPv4);
  if (!clusterIP) return [];

  const externallyVisibleType = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const externalPolicyLocal = externallyVisibleType && spec.externalTrafficPolicy === 'Local';
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
  const stickySeconds =
    spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS) : undefined;
  const externalIPs = (spec.externalIPs ?? []).filter(isIPv4);
  const loadBalancerVIPs = (service.status?.loadBalancer?.ingress ?? [])
    // IsVIPMode: ipMode unset or "VIP"; "Proxy" load balancers deliver to the node themselves.
    .filter((ing) => ing.ip && isIPv4(ing.ip) && (ing.ipMode ?? 'VIP') === 'VIP')
    .map((ing) => ing.ip as string);

  const ports: ServicePortInfo[] = [];
  for (const sp of spec.ports ?? []) {
    const protocol = (sp.protocol ?? 'TCP') as Protocol;
    if (!Protocols.includes(protocol) || !isPort(sp.port)) continue;
    const portName = sp.name ?? '';
    ports.push({
      namespace,
      serviceName,
      portName,
      name: `${namespace}/${serviceName}${portName ? `:${portName}` : ''}`,
      protocol,
      clusterIP,
      port: sp.port,
      nodePort: isPort(sp.nodePort) ? sp.nodePort : 0,
      externalIPs,
      loadBalancerVIPs,
      stickySeconds: stickySeconds !== undefined && stickySeconds > 0 ? stickySeconds : undefined,
      externalPolicyLocal,
      internalPolicyLocal,
    });
  }
  return ports;
}
