/**
 * network — the node's service network: what kube-proxy and CoreDNS do on a
 * cluster, for the one node that holds the machine's service-network lease.
 *
 * Owns:
 *   service-network-lease.ts  which node on the machine serves 10.96.0.0/12
 *   proxy/                    the dataplane: Services → iptables NAT rules
 *   dns/                      cluster DNS (CoreDNS's kubernetes plugin)
 *   feeds.ts                  informers → proxy and DNS index
 *   cluster-services.ts       the `kubernetes` and `kube-dns` Services and their endpoints
 *   bridge.ts                 the pods' bridge, made before anything binds its address
 * Does not own: Service objects and allocation (registry/), Endpoints and
 * EndpointSlices of selector Services (controllers/), a pod's resolv.conf
 * and service variables (kubelet/runtime, given `clusterDns` from here).
 *
 * `startServiceNetwork` takes the lease (waiting up to `leaseWaitMs`), and
 * if it gets it: makes the bridge, starts the proxy and the DNS server on
 * the bridge address (kube-dns's endpoint), and returns the controllers that
 * feed them plus `clusterDns` for the kubelet. Without the lease the node
 * runs as one with no cluster DNS and no Service routing (its Services are
 * API objects only), and says so. Stopping releases the lease and leaves the
 * rules for pods that outlive the process; `berth down` removes them.
 *
 * Loops: the proxy's sync loop; the DNS server's sockets.
 */
import type { ControllerDefinition } from '../controllers/controllers.ts';
import { ensureBridge } from './bridge.ts';
import { clusterDnsIP, clusterServicesController } from './cluster-services.ts';
import { ClusterIndex, createClusterDns, readHostUpstreams, type Upstream } from './dns/dns.ts';
import { clusterDnsFeed, serviceProxyFeed } from './feeds.ts';
import { machineServiceProxy } from './proxy/proxy.ts';
import { ProxyError, ProxyErrorCode } from './proxy/proxy-error.ts';
import { releaseLease, waitForLease } from './service-network-lease.ts';

export { clusterDnsIP, kubernetesServiceIP } from './cluster-services.ts';

export interface ServiceNetworkOptions {
  dataDir: string;
  nodeName: string;
  /** The pods' bridge and its gateway address with prefix (berth0, 10.244.0.1/16). */
  bridge: string;
  gatewayCidr: string;
  podCidr: string;
  /** The API server's port; it also listens on the gateway address. */
  apiPort: number;
  /** How long to wait for another node to give the lease up (0: do not wait). */
  leaseWaitMs: number;
  /**
   * Where cluster DNS forwards other names: `undefined` reads the host's
   * resolv.conf (berth serve); tests name a 127.0.0.1 port.
   */
  upstreams?: Upstream[];
  /** Makes the API server listen on the gateway address as well, for clients `allowRemote` accepts. */
  listenAlso: (host: string, allowRemote: (ip: string) => boolean) => Promise<void>;
  log: (msg: string) => void;
  progress: (step: string) => void;
  signal: AbortSignal;
}

export interface ServiceNetwork {
  /** What the kubelet writes into ClusterFirst pods' resolv.conf. */
  clusterDns: { servers: string[]; domain: string };
  /** Controllers to run with the others: the endpoints of kubernetes/kube-dns, and the feeds. */
  controllers: ControllerDefinition[];
  /** Stops the DNS server and the proxy loop, and releases the lease. Idempotent. */
  stop(): Promise<void>;
}

export const clusterDomain = 'cluster.local';
const dnsPort = 53;

export async function startServiceNetwork(o: ServiceNetworkOptions): Promise<ServiceNetwork> {
  const gateway = o.gatewayCidr.split('/')[0];
  const services = clusterServicesController({ nodeAddress: gateway, apiPort: o.apiPort, dnsPort });
  const lease = await waitForLease(o.dataDir, o.leaseWaitMs, { signal: o.signal });
  if (!lease.acquired) {
    o.log(`the service network is served by another berth node on this machine (pid ${lease.holder.pid}, ${lease.holder.dataDir}): Services here get no cluster IP routing and pods no cluster DNS`);
    o.progress(`service network held by pid ${lease.holder.pid}: no cluster DNS or Service routing on this node`);
    return { clusterDns: { servers: [], domain: clusterDomain }, controllers: [services], stop: async () => {} };
  }
  const stops: (() => Promise<void> | void)[] = [() => releaseLease({ dataDir: o.dataDir })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  const without = (why: string): ServiceNetwork => {
    o.log(`the service network could not start (${why}): Services here get no cluster IP routing and pods no cluster DNS`);
    o.progress(`service network unavailable: ${why}`);
    return { clusterDns: { servers: [], domain: clusterDomain }, controllers: [services], stop };
  };
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  try {
    ensureBridge(o.bridge, o.gatewayCidr);
    await o.listenAlso(gateway, (ip) => ip === gateway || ip.startsWith('127.') || inPodNetwork(ip, o.podCidr));
  } catch (err) {
    await stop();
    return without(`bridge ${o.bridge} at ${o.gatewayCidr}: ${message(err)}`);
  }

  const feeds: ControllerDefinition[] = [];
  try {
    const { proxy, bridgeNetfilter } = machineServiceProxy({ dataDir: o.dataDir, nodeName: o.nodeName, podCidr: o.podCidr, bridge: o.bridge, onSyncError: (err) => o.log(`service proxy: ${err.message}`) });
    if (bridgeNetfilter !== 'on') o.log('br_netfilter is not loaded: a pod cannot reach another pod on the bridge through a ClusterIP (modprobe br_netfilter)');
    proxy.start();
    stops.push(() => proxy.stop());
    feeds.push(serviceProxyFeed(proxy));
  } catch (err) {
    if (!(err instanceof ProxyError)) {
      await stop();
      throw err;
    }
    o.log(`${err.message}: Services get no cluster IP routing${err.code === ProxyErrorCode.Missing ? ' (apt-get install iptables)' : ''}`);
  }

  const index = new ClusterIndex();
  const upstreams = o.upstreams ?? (await readHostUpstreams({ exclude: [clusterDnsIP, gateway] }).catch(() => []));
  const dns = createClusterDns({ view: index, address: gateway, port: dnsPort, upstreams, resolver: { nameservers: [clusterDnsIP] } });
  try {
    await dns.start(o.signal);
  } catch (err) {
    // Something else owns <gateway>:53 (a resolver bound to every address): pods fall back to the host's DNS.
    o.log(`cluster DNS could not listen on ${gateway}:${dnsPort} (${message(err)}): pods get the host's resolv.conf`);
    return { clusterDns: { servers: [], domain: clusterDomain }, controllers: [services, ...feeds], stop };
  }
  stops.push(() => dns.stop());
  o.progress(`service network: cluster DNS on ${gateway}:${dnsPort} (kube-dns ${clusterDnsIP}), Service dataplane in iptables`);
  return {
    clusterDns: { servers: [clusterDnsIP], domain: clusterDomain },
    controllers: [services, ...feeds, clusterDnsFeed(index)],
    stop,
  };
}

/** Whether an IPv4 address lies in `cidr` (the pod network). */
export function inPodNetwork(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const [base, bits] = cidr.split('/');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}

/** BERTH_DNS_UPSTREAMS: `host:port,…` (or empty for none) instead of the host's resolv.conf. */
export function upstreamsFromEnv(value: string | undefined): Upstream[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const i = s.lastIndexOf(':');
      return i > 0 ? { host: s.slice(0, i), port: Number(s.slice(i + 1)) } : { host: s, port: 53 };
    });
}
