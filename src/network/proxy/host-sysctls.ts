/**
 * The kernel settings the service dataplane needs from the host, read and
 * set through /proc/sys (a root given for tests). What each one is for was
 * measured by the kernel test's namespaces (dataplane-kernel.test.ts):
 *
 *  - net.bridge.bridge-nf-call-iptables = 1 (module br_netfilter): a pod
 *    reaching another pod on the same bridge through a ClusterIP. The request
 *    goes up to the node and is DNAT'd, but the reply is bridged straight back
 *    from pod to pod; only with this setting does it pass through iptables,
 *    where conntrack undoes the DNAT. Without it the client sees a reply from
 *    the wrong address and the connection hangs. (kubeadm's preflight demands
 *    it for the same reason.) With it on, a pod reaching itself through its
 *    Service also needs hairpin mode on its bridge port, which the CNI bridge
 *    config's hairpinMode sets.
 *  - net.ipv4.conf.<bridge>.route_localnet = 1: NodePorts on 127.0.0.1 (the
 *    DNAT'd packet leaves on the bridge with source 127.0.0.1 before it is
 *    masqueraded). portmap sets it for hostPort pods; berth's BERTH-FIREWALL
 *    keeps pods off the node's loopback while it is on. It can be set only
 *    once the bridge exists, i.e. after the first pod: ServiceProxy's
 *    `beforeSync` is the place.
 *  - net.netfilter.nf_conntrack_tcp_be_liberal: read only; when set, the
 *    proxy writes no DROP for conntrack-INVALID packets (ProxyConfig).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROC_SYS = '/proc/sys';

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** 'absent' when br_netfilter is not loaded (`modprobe br_netfilter`). */
export function bridgeNetfilter(procSys = PROC_SYS): 'on' | 'off' | 'absent' {
  const v = read(join(procSys, 'net/bridge/bridge-nf-call-iptables'));
  return v === undefined ? 'absent' : v === '0' ? 'off' : 'on';
}

/** Turns bridge-nf-call-iptables on when br_netfilter is loaded; returns the resulting state. */
export function enableBridgeNetfilter(procSys = PROC_SYS): 'on' | 'off' | 'absent' {
  if (bridgeNetfilter(procSys) === 'off') {
    try {
      writeFileSync(join(procSys, 'net/bridge/bridge-nf-call-iptables'), '1\n');
    } catch {
      // read back below
    }
  }
  return bridgeNetfilter(procSys);
}

/** Sets route_localnet on `bridge`; false when the bridge does not exist (yet). */
export function enableRouteLocalnet(bridge: string, procSys = PROC_SYS): boolean {
  const file = join(procSys, 'net/ipv4/conf', bridge, 'route_localnet');
  if (read(file) === undefined) return false;
  if (read(file) === '1') return true;
  try {
    writeFileSync(file, '1\n');
    return true;
  } catch {
    return false;
  }
}

export function conntrackTcpLiberal(procSys = PROC_SYS): boolean {
  const v = read(join(procSys, 'net/netfilter/nf_conntrack_tcp_be_liberal'));
  return v !== undefined && v !== '0';
}
