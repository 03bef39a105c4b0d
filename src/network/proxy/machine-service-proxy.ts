/**
 * The service proxy as a berth node runs it on its machine: the system's
 * iptables, the machine lease, bridge netfilter turned on, route_localnet
 * kept on the pods' bridge, conntrack liberalness read from the kernel. The
 * wiring's one call for `berth serve`, and one for `berth down`.
 */
import type { ProxyClock } from './clock.ts';
import { conntrackTcpLiberal, enableBridgeNetfilter, enableRouteLocalnet } from './host-sysctls.ts';
import { systemIptablesRunner } from './iptables-runner.ts';
import { ProxyError, ProxyErrorCode } from './proxy-error.ts';
import { SERVICE_NETWORK_LEASE } from '../service-network-lease.ts';
import { removeServiceProxy, ServiceProxy, type RemoveOutcome } from './service-proxy.ts';

export interface MachineServiceProxyOptions {
  /** The node's data directory: names the lease holder in messages. */
  dataDir: string;
  /** The Node's name, as EndpointSlices' nodeName carries it. */
  nodeName: string;
  /** Default 10.244.0.0/16. */
  podCidr?: string;
  /** The pods' bridge; default berth0. */
  bridge?: string;
  /** Default process.pid. */
  pid?: number;
  /** Default /run/berth/service-network.lease. */
  leaseFile?: string;
  clock?: ProxyClock;
  onSyncError?: (err: Error) => void;
}

export interface MachineServiceProxy {
  proxy: ServiceProxy;
  /**
   * bridge-nf-call-iptables after trying to turn it on: 'absent' (br_netfilter
   * not loaded) or 'off' means pods cannot reach other pods on the bridge
   * through a ClusterIP; the wiring should warn ("modprobe br_netfilter").
   */
  bridgeNetfilter: 'on' | 'off' | 'absent';
}

/** Throws a ProxyError (Missing) when iptables is not installed. The caller start()s the proxy. */
export function machineServiceProxy(o: MachineServiceProxyOptions): MachineServiceProxy {
  const bridge = o.bridge ?? 'berth0';
  const iptables = systemIptablesRunner();
  const bridgeNetfilter = enableBridgeNetfilter();
  const proxy = new ServiceProxy({
    config: { clusterCidr: o.podCidr ?? '10.244.0.0/16', nodeName: o.nodeName, conntrackTcpLiberal: conntrackTcpLiberal() },
    iptables,
    clock: o.clock,
    lease: { holder: { pid: o.pid ?? process.pid, dataDir: o.dataDir }, file: o.leaseFile },
    beforeSync: () => {
      enableRouteLocalnet(bridge);
    },
    onSyncError: o.onSyncError,
  });
  return { proxy, bridgeNetfilter };
}

/**
 * `berth down`: deletes the proxy's chains and jumps unless a live node
 * holds the lease. Without iptables there is nothing to delete.
 */
export async function removeMachineServiceProxy(leaseFile = SERVICE_NETWORK_LEASE): Promise<RemoveOutcome> {
  let iptables;
  try {
    iptables = systemIptablesRunner();
  } catch (err) {
    if (err instanceof ProxyError && err.code === ProxyErrorCode.Missing) return { removed: false };
    throw err;
  }
  return removeServiceProxy(iptables, leaseFile);
}
