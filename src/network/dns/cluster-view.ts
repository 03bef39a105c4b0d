/**
 * What cluster DNS reads: Services, their EndpointSlices, Pods and
 * Namespaces, as plain objects, through the narrow `ClusterView` the resolver
 * takes. The shapes keep what CoreDNS's `kubernetes` plugin keeps of each
 * object (coredns plugin/kubernetes/object/service.go, endpoint.go, pod.go)
 * plus the endpoint conditions, so a caller can see what was dropped and why.
 *
 * Names are as the API stores them (lower case, DNS-1123); IP strings are in
 * canonical form (`canonicalIP` in ip.ts) wherever the view indexes by IP.
 */

/** One port of a Service: `spec.ports[]`. */
export interface DnsServicePort {
  /** `""` for an unnamed port; such a port has no `_<port>._<proto>` SRV name. */
  readonly name: string;
  /** `TCP`, `UDP` or `SCTP`, as in the Service. */
  readonly protocol: string;
  readonly port: number;
}

export interface DnsService {
  readonly namespace: string;
  readonly name: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  readonly type: string;
  /**
   * `spec.clusterIPs` (or `[spec.clusterIP]`): `['None']` for a headless
   * Service, `[]` or `['']` for an ExternalName one.
   */
  readonly clusterIPs: readonly string[];
  /** `clusterIPs[0] === 'None'` (object/service.go `Headless`). */
  readonly headless: boolean;
  /** `spec.externalName`; only read when `type` is `ExternalName`. */
  readonly externalName: string;
  readonly ports: readonly DnsServicePort[];
}

/** One endpoint of a slice: `endpoints[]`. */
export interface DnsEndpoint {
  readonly addresses: readonly string[];
  /**
   * `conditions.ready`; `undefined` means unknown and counts as ready, as the
   * API documents and CoreDNS does (object/endpoint.go `endpointsliceReady`).
   * The EndpointSlice controller writes `true` for every endpoint of a Service
   * with `publishNotReadyAddresses`, which is how that field reaches DNS.
   */
  readonly ready?: boolean;
  /** `conditions.serving`; carried for callers, not read by the resolver (CoreDNS reads only `ready`). */
  readonly serving?: boolean;
  /** `conditions.terminating`; carried for callers, not read by the resolver. */
  readonly terminating?: boolean;
  /** `hostname`: set by the EndpointSlice controller from the pod's `hostname` when its `subdomain` names the Service. */
  readonly hostname?: string;
  /** `targetRef.name` when the target is a Pod. */
  readonly targetRefName?: string;
  readonly nodeName?: string;
}

/** One port of a slice: `ports[]`; absent fields stay absent as in the API. */
export interface DnsEndpointPort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port?: number;
}

export interface DnsEndpointSlice {
  readonly namespace: string;
  readonly name: string;
  /** The `kubernetes.io/service-name` label: the Service this slice belongs to. */
  readonly serviceName: string;
  /** `IPv4`, `IPv6` or `FQDN`. */
  readonly addressType: string;
  readonly endpoints: readonly DnsEndpoint[];
  readonly ports: readonly DnsEndpointPort[];
}

export interface DnsPod {
  readonly namespace: string;
  readonly name: string;
  /** `status.podIPs` (or `[status.podIP]`). */
  readonly ips: readonly string[];
  readonly hostname?: string;
  readonly subdomain?: string;
}

/**
 * The resolver's only input besides the question. Backed by informer caches
 * in `berth serve` (ClusterIndex in cluster-index.ts is a ready-made one);
 * every method answers from memory without waiting.
 */
export interface ClusterView {
  /**
   * False until the caches have listed everything once. Until then a name
   * that is not found answers SERVFAIL instead of NXDOMAIN, so a client never
   * caches a false negative (handler.go).
   */
  hasSynced(): boolean;
  /** Unix seconds of the last change that matters to DNS: the SOA serial (controller.go `Modified`). */
  modified(): number;
  namespaceExists(namespace: string): boolean;
  service(namespace: string, name: string): DnsService | undefined;
  /** Every slice whose `serviceName` is `service` in `namespace`. */
  endpointSlices(namespace: string, service: string): readonly DnsEndpointSlice[];
  /** Services one of whose `clusterIPs` is `ip` (canonical). */
  servicesByIP(ip: string): readonly DnsService[];
  /** Slices holding a ready endpoint with address `ip` (canonical). */
  endpointSlicesByIP(ip: string): readonly DnsEndpointSlice[];
  /** Pods with `ip` (canonical) among their IPs; read only in `pods verified` mode. */
  podsByIP(ip: string): readonly DnsPod[];
}
