/**
 * Desired state to iptables-restore input: a pure function, kube-proxy's
 * syncProxyRules (pkg/proxy/iptables/proxier.go, v1.33) and
 * writeServiceToEndpointRules, behaviour for behaviour, with BERTH- chains.
 *
 * Per Service port (ports sorted by name and protocol, endpoints by
 * "ip:port", so equal state renders equal text):
 *  - nat BERTH-SERVICES captures clusterIP:port (to SVC, or SVL for
 *    internalTrafficPolicy Local), external IPs and load-balancer IPs (to EXT);
 *    BERTH-NODEPORTS captures the node port (to EXT); the last rule of
 *    BERTH-SERVICES sends what is addressed to any local address to
 *    BERTH-NODEPORTS (127.0.0.0/8 too when localhost node ports are on).
 *  - SVC spreads new connections over the usable endpoints with
 *    `statistic --mode random --probability 1/n, 1/(n-1), …, 1`; with
 *    sessionAffinity ClientIP, `recent --rcheck --seconds T --reap` rules
 *    first send a client back to the endpoint it had.
 *  - SEP marks for masquerade traffic an endpoint sends to itself (hairpin),
 *    then DNATs (recording the client with `recent --set` under affinity).
 *  - EXT marks external traffic for masquerade (Cluster policy), or under
 *    Local policy short-circuits pod- and node-originated traffic to SVC and
 *    sends the rest to SVL.
 *  - Traffic to a cluster IP from outside the pod CIDR is marked for
 *    masquerade (kube-proxy's local traffic detector by cluster CIDR).
 *  - No usable endpoint: filter BERTH-SERVICES REJECTs clusterIP:port (the
 *    client gets "connection refused" at once, no hang); external
 *    destinations are REJECTed in BERTH-EXTERNAL-SERVICES, or DROPped when
 *    only Local policy finds none.
 *  - BERTH-POSTROUTING masquerades marked packets (once: it clears the mark);
 *    BERTH-FORWARD accepts marked and established traffic and drops
 *    conntrack-INVALID packets unless nf_conntrack_tcp_be_liberal is set.
 *
 * Not rendered (no berth counterpart): loadBalancerSourceRanges firewall
 * chains (KUBE-FW, KUBE-PROXY-FIREWALL), health-check node ports, nfacct
 * counters, topology hints, IPv6. KUBE-FIREWALL's localnet rule is
 * containerd/localnet-firewall.ts's, not rendered here.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { categorizeEndpoints } from './categorize-endpoints.ts';
import { Chains, endpointChain, FILTER_CHAINS, NAT_CHAINS, servicePortChain } from './chain-names.ts';
import { endpointsMapOf, type EndpointsMap } from './endpoints-map.ts';
import { isIPv4Cidr } from './ipv4.ts';
import { externallyAccessible, keyOf, servicePortsOf, type ServicePortInfo } from './service-port.ts';

export interface ProxyConfig {
  /** The pod CIDR. Traffic to a cluster IP from outside it is masqueraded. */
  clusterCidr: string;
  /** This node's name: endpoints whose nodeName equals it are local (traffic policy Local). */
  nodeName: string;
  /** Bit of the packet mark meaning "masquerade this"; default 14 (0x4000), kube-proxy's. */
  masqueradeBit?: number;
  /** NodePorts answer on 127.0.0.1 too (needs route_localnet on the pods' bridge); default true, as kube-proxy. */
  localhostNodePorts?: boolean;
  /** net.netfilter.nf_conntrack_tcp_be_liberal is set: no DROP of conntrack-INVALID packets. */
  conntrackTcpLiberal?: boolean;
}

/** The input: Services and EndpointSlices as the API serves them. */
export interface DesiredState {
  services: Iterable<Service>;
  endpointSlices: Iterable<EndpointSlice>;
}

/** The internal model rules are rendered from. */
export interface ProxyModel {
  ports: ServicePortInfo[];
  endpoints: EndpointsMap;
}

export interface TableRules {
  /** Chains declared (and so flushed) by the transaction, in order. */
  chains: string[];
  /** `-A …` lines. */
  rules: string[];
}

export interface RenderedRules {
  filter: TableRules;
  nat: TableRules;
}

export function modelOf(state: DesiredState, nodeName: string): ProxyModel {
  const ports: ServicePortInfo[] = [];
  for (const svc of state.services) ports.push(...servicePortsOf(svc));
  ports.sort((a, b) => cmp(a.name, b.name) || cmp(a.protocol, b.protocol));
  return { ports, endpoints: endpointsMapOf(state.endpointSlices, nodeName) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `"text"`: the quoting iptables-restore reads and iptables-save writes. */
function q(text: string): string {
  return `"${text}"`;
}

/** 1/n with ten decimals, as kube-proxy's computeProbability (`%0.10f`). */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

export function masqueradeMark(bit = 14): string {
  if (!Number.isInteger(bit) || bit < 0 || bit > 31) throw new RangeError(`render service rules: masquerade bit "${bit}" is not in 0..31`);
  return `0x${(2 ** bit).toString(16)}`;
}

export function renderTables(model: ProxyModel, config: ProxyConfig): RenderedRules {
  if (!isIPv4Cidr(config.clusterCidr)) throw new RangeError(`render service rules: cluster CIDR "${config.clusterCidr}" is not an IPv4 CIDR`);
  const mark = masqueradeMark(config.masqueradeBit);
  const localhostNodePorts = config.localhostNodePorts ?? true;
  const filter: TableRules = { chains: [...FILTER_CHAINS], rules: [] };
  const nat: TableRules = { chains: [...NAT_CHAINS], rules: [] };
  const F = (...parts: string[]) => filter.rules.push(parts.join(' '));
  const N = (...parts: string[]) => nat.rules.push(parts.join(' '));

  N('-A', Chains.postrouting, '-m mark !', '--mark', `${mark}/${mark}`, '-j RETURN');
  // Clear the mark so a packet that traverses the stack again is not masqueraded twice.
  N('-A', Chains.postrouting, '-j MARK --xor-mark', mark);
  N('-A', Chains.postrouting, '-m comment --comment', q('kubernetes service traffic requiring SNAT'), '-j MASQUERADE --random-fully');
  N('-A', Chains.markMasq, '-j MARK --or-mark', mark);

  for (const svc of model.ports) {
    const proto = svc.protocol.toLowerCase();
    const match = `-m ${proto} -p ${proto}`;
    const name = svc.name;
    const eps = categorizeEndpoints(model.endpoints.get(keyOf(svc)) ?? [], svc);
    const clusterChain = servicePortChain('svc', name, proto);
    const localChain = servicePortChain('svl', name, proto);
    const extChain = servicePortChain('ext', name, proto);
    const usesClusterChain = eps.cluster.length > 0;
    const usesLocalChain = eps.local.length > 0;

    const internalChain = svc.internalPolicyLocal ? localChain : clusterChain;
    const hasInternal = eps.hasAny && (!svc.internalPolicyLocal || eps.local.length > 0);
    const externalPolicyChain = svc.externalPolicyLocal ? localChain : clusterChain;
    const hasExternal = eps.hasAny && (!svc.externalPolicyLocal || eps.local.length > 0);
    // Needed whenever the port has endpoints at all: Local policy's short-circuit rules live here.
    const usesExtChain = eps.hasAny && externallyAccessible(svc);

    let internalTarget = '';
    let externalTarget = '';
    let internalComment = '';
    let externalComment = '';
    if (!eps.hasAny) {
      internalTarget = externalTarget = 'REJECT';
      internalComment = externalComment = q(`${name} has no endpoints`);
    } else {
      if (!hasInternal) {
        internalTarget = 'DROP';
        internalComment = q(`${name} has no local endpoints`);
      }
      if (!hasExternal) {
        externalTarget = 'DROP';
        externalComment = q(`${name} has no local endpoints`);
      }
    }

    const clusterIPMatch = `${match} -d ${svc.clusterIP} --dport ${svc.port}`;
    if (hasInternal) {
      N('-A', Chains.services, '-m comment --comment', q(`${name} cluster IP`), clusterIPMatch, '-j', internalChain);
    } else {
      F('-A', Chains.services, '-m comment --comment', internalComment, clusterIPMatch, '-j', internalTarget);
    }

    for (const ip of svc.externalIPs) {
      const dst = `${match} -d ${ip} --dport ${svc.port}`;
      if (eps.hasAny) N('-A', Chains.services, '-m comment --comment', q(`${name} external IP`), dst, '-j', extChain);
      if (!hasExternal) F('-A', Chains.externalServices, '-m comment --comment', externalComment, dst, '-j', externalTarget);
    }
    for (const ip of svc.loadBalancerVIPs) {
      const dst = `${match} -d ${ip} --dport ${svc.port}`;
      if (eps.hasAny) N('-A', Chains.services, '-m comment --comment', q(`${name} loadbalancer IP`), dst, '-j', extChain);
    }
    if (!hasExternal) {
      for (const ip of svc.loadBalancerVIPs) {
        F('-A', Chains.externalServices, '-m comment --comment', externalComment, `${match} -d ${ip} --dport ${svc.port}`, '-j', externalTarget);
      }
    }
    if (svc.nodePort !== 0) {
      if (eps.hasAny) N('-A', Chains.nodePorts, '-m comment --comment', name, match, '--dport', String(svc.nodePort), '-j', extChain);
      if (!hasExternal) {
        F('-A', Chains.externalServices, '-m comment --comment', externalComment, '-m addrtype --dst-type LOCAL', match, '--dport', String(svc.nodePort), '-j', externalTarget);
      }
    }

    if (hasInternal) {
      N('-A', internalChain, '-m comment --comment', q(`${name} cluster IP`), clusterIPMatch, '!', '-s', config.clusterCidr, '-j', Chains.markMasq);
    }

    if (usesExtChain) {
      nat.chains.push(extChain);
      if (!svc.externalPolicyLocal) {
        // Endpoints may be anywhere: masquerade, so replies come back through this node.
        N('-A', extChain, '-m comment --comment', q(`masquerade traffic for ${name} external destinations`), '-j', Chains.markMasq);
      } else {
        // Pods reaching an external destination behave as if they went out to the
        // load balancer and back: neither traffic policy applies.
        N('-A', extChain, '-m comment --comment', q(`pod traffic for ${name} external destinations`), '-s', config.clusterCidr, '-j', clusterChain);
        // The node's own traffic has a local source address: masquerade it, then route it like pod traffic.
        N('-A', extChain, '-m comment --comment', q(`masquerade LOCAL traffic for ${name} external destinations`), '-m addrtype --src-type LOCAL', '-j', Chains.markMasq);
        N('-A', extChain, '-m comment --comment', q(`route LOCAL traffic for ${name} external destinations`), '-m addrtype --src-type LOCAL', '-j', clusterChain);
      }
      if (hasExternal) N('-A', extChain, '-j', externalPolicyChain);
    }

    if (usesClusterChain) {
      nat.chains.push(clusterChain);
      writeServiceToEndpointRules(N, svc, proto, clusterChain, eps.cluster);
    }
    if (usesLocalChain) {
      nat.chains.push(localChain);
      writeServiceToEndpointRules(N, svc, proto, localChain, eps.local);
    }

    for (const ep of eps.reachable) {
      const sep = endpointChain(name, proto, ep.address);
      nat.chains.push(sep);
      N('-A', sep, '-m comment --comment', name, '-s', ep.ip, '-j', Chains.markMasq);
      const affinity = svc.stickySeconds !== undefined ? ['-m recent --name', sep, '--set'] : [];
      N('-A', sep, '-m comment --comment', name, ...affinity, match, '-j DNAT --to-destination', ep.address);
    }
  }

  // Must stay the last rule of BERTH-SERVICES: every other capture is more specific.
  N(
    '-A',
    Chains.services,
    '-m comment --comment',
    q('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    '-m addrtype --dst-type LOCAL',
    ...(localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8']),
    '-j',
    Chains.nodePorts,
  );

  if (!config.conntrackTcpLiberal) {
    // Out-of-window packets conntrack calls INVALID would otherwise reach the pod
    // un-NATed and reset the connection (kubernetes/kubernetes#74839).
    F('-A', Chains.forward, '-m conntrack --ctstate INVALID -j DROP');
  }
  F('-A', Chains.forward, '-m comment --comment', q('kubernetes forwarding rules'), '-m mark --mark', `${mark}/${mark}`, '-j ACCEPT');
  F('-A', Chains.forward, '-m comment --comment', q('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');

  return { filter, nat };
}

function writeServiceToEndpointRules(
  N: (...parts: string[]) => void,
  svc: ServicePortInfo,
  proto: string,
  chain: string,
  endpoints: readonly { address: string }[],
): void {
  if (svc.stickySeconds !== undefined) {
    for (const ep of endpoints) {
      const sep = endpointChain(svc.name, proto, ep.address);
      N('-A', chain, '-m comment --comment', q(`${svc.name} -> ${ep.address}`), '-m recent --name', sep, '--rcheck --seconds', String(svc.stickySeconds), '--reap -j', sep);
    }
  }
  endpoints.forEach((ep, i) => {
    const sep = endpointChain(svc.name, proto, ep.address);
    const spread = i < endpoints.length - 1 ? ['-m statistic --mode random --probability', probability(endpoints.length - i)] : [];
    N('-A', chain, '-m comment --comment', q(`${svc.name} -> ${ep.address}`), ...spread, '-j', sep);
  });
}

/** The tables as iptables-restore input: `*filter`, chain lines, rules, `COMMIT`, then `*nat` likewise. */
export function serializeTables(r: RenderedRules): string {
  const table = (name: string, t: TableRules) => [`*${name}`, ...t.chains.map((c) => `:${c} - [0:0]`), ...t.rules, 'COMMIT'];
  return [...table('filter', r.filter), ...table('nat', r.nat), ''].join('\n');
}

/** Desired state to iptables-restore input for berth's chains (jumps and stale chains: restore-transaction.ts). */
export function renderRules(state: DesiredState, config: ProxyConfig): string {
  return serializeTables(renderTables(modelOf(state, config.nodeName), config));
}
