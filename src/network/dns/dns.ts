/**
 * network/dns — cluster DNS served by berth on the kube-dns address, as
 * CoreDNS serves it with kubeadm's Corefile (kubernetes plugin for
 * `cluster.local`, `in-addr.arpa` and `ip6.arpa` with `pods insecure`,
 * reverse fallthrough and TTL 30; `forward . /etc/resolv.conf` with
 * `max_concurrent 1000`; `loadbalance`). Consumers import from this file.
 *
 * Owns: the answers for cluster names (resolver.ts, a pure function of a
 * `ClusterView` and a question), forwarding of other names to upstream
 * resolvers (forwarder.ts), and the UDP/TCP server (server.ts) with its
 * bounds on connections, pipelining, in-flight queries and message sizes.
 *
 * Does not own: the Kubernetes objects. The caller keeps the view current —
 * `ClusterIndex` (cluster-index.ts) is a ready-made view that informer
 * handlers feed with `setService(dnsService(svc))`,
 * `setEndpointSlice(dnsEndpointSlice(slice))`, `setPod(dnsPod(pod))`,
 * `setNamespace(name)` and the matching deletes, then `markSynced()` once
 * the initial lists are in (until then unknown names answer SERVFAIL, not
 * NXDOMAIN). Nor does it own the address: the caller puts 10.96.0.10 on a
 * host interface before `start`, and points pods' resolv.conf at it.
 *
 * State: the view (the caller's), the server's sockets and open TCP
 * connections, the forwarder's in-flight count. Timers: per TCP connection
 * (idle and read timeouts) and per upstream attempt (its timeout and the
 * query's 5 s deadline); no periodic loops. No cache: every answer is
 * computed from the view or asked upstream.
 *
 * Wiring, in `berth serve`:
 *
 *   const view = new ClusterIndex();                       // fed by informers, then view.markSynced()
 *   const upstreams = await readHostUpstreams({ exclude: ['10.96.0.10'] });
 *   const dns = createClusterDns({ view, address: '10.96.0.10', port: 53, upstreams });
 *   await dns.start(signal);                                // resolves with the bound address
 *   ...
 *   await dns.stop();                                       // idempotent
 *
 * Tests bind 127.0.0.1 on port 0 and pass upstreams they start themselves
 * (test-upstream.ts); nothing here reads the host's resolv.conf unless
 * `readHostUpstreams` is called. Test doubles, not exported:
 * test-cluster-view.ts (a small cluster), test-dns-client.ts (dig over UDP
 * and TCP), test-upstream.ts (a scripted upstream and a closed port).
 *
 * Where berth differs from CoreDNS on purpose: no `cache` (answers come
 * from memory; upstream answers are not kept); names are written
 * uncompressed (dns-packet), so UDP replies truncate sooner; an unreachable
 * upstream fails the query at once instead of being retried until the
 * deadline; forwarded replies are relayed byte for byte, not shuffled; a
 * question dns-packet cannot read back exactly (a dot inside a label, a
 * compressed question name, an unknown class) and NOTIFY are answered
 * FORMERR and NOTIMP; the plugin's `endpoint_pod_names`, `multicluster`,
 * wildcard and zone-transfer features are not offered (AXFR/IXFR: REFUSED).
 */
import type { ClusterView } from './cluster-view.ts';
import { Forwarder } from './forwarder.ts';
import type { ForwarderOptions } from './forwarder.ts';
import { DnsHandler } from './handler.ts';
import type { RandomId } from './load-balance.ts';
import { kubeadmResolverConfig } from './resolver.ts';
import type { ResolverConfig } from './resolver.ts';
import { DnsServer } from './server.ts';
import type { DnsServerOptions } from './server.ts';
import type { Upstream } from './upstream-exchange.ts';

export type { ClusterView, DnsEndpoint, DnsEndpointPort, DnsEndpointSlice, DnsPod, DnsService, DnsServicePort } from './cluster-view.ts';
export { ClusterIndex } from './cluster-index.ts';
export type { ClusterIndexOptions } from './cluster-index.ts';
export { dnsEndpointSlice, dnsPod, dnsService, serviceNameLabel } from './from-kubernetes.ts';
export { kubeadmResolverConfig, resolve } from './resolver.ts';
export type { Question, Rcode, Reply, Resolution, ResolverConfig } from './resolver.ts';
export { Forwarder } from './forwarder.ts';
export type { ForwarderOptions, ForwardResult, Forwarding } from './forwarder.ts';
export { DnsHandler } from './handler.ts';
export type { DnsHandlerOptions, QueryHandler, Transport } from './handler.ts';
export { DnsServer } from './server.ts';
export type { BoundAddress, DnsServerOptions } from './server.ts';
export { parseResolvConf, readHostUpstreams } from './resolv-conf.ts';
export type { Upstream } from './upstream-exchange.ts';

export interface ClusterDnsOptions {
  readonly view: ClusterView;
  /** Where to listen: 10.96.0.10 in production, 127.0.0.1 in tests. */
  readonly address: string;
  /** 53 in production, 0 in tests. */
  readonly port: number;
  /** Where other names go: `readHostUpstreams()` in production, fake servers on 127.0.0.1 in tests. */
  readonly upstreams: readonly Upstream[];
  /** Changes to kubeadm's settings; `nameservers` defaults to `[address]`. */
  readonly resolver?: Partial<ResolverConfig>;
  readonly forwarder?: Omit<ForwarderOptions, 'upstreams'>;
  readonly server?: Omit<DnsServerOptions, 'address' | 'port' | 'handler'>;
  /** The load-balancing shuffle's randomness; tests pin it. */
  readonly random?: RandomId;
}

/** The cluster DNS server, not yet started: `start(signal)` binds UDP and TCP, `stop()` closes them. */
export function createClusterDns(options: ClusterDnsOptions): DnsServer {
  const config: ResolverConfig = { ...kubeadmResolverConfig([options.address]), ...options.resolver };
  const forwarder = new Forwarder({ ...options.forwarder, upstreams: options.upstreams });
  const handler = new DnsHandler({ view: options.view, config, forwarder, ...(options.random ? { random: options.random } : {}) });
  return new DnsServer({ ...options.server, address: options.address, port: options.port, handler });
}
