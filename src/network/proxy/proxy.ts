/**
 * network/proxy — the node's Service dataplane, kube-proxy's iptables mode
 * (pkg/proxy/iptables, v1.33) ported behaviour for behaviour: Service
 * traffic is NAT'd in the kernel by berth's own chains; no byte of it passes
 * through Node.js.
 *
 * Owns: berth's service chains in the nat and filter tables (BERTH-SERVICES,
 * BERTH-NODEPORTS, BERTH-POSTROUTING, BERTH-MARK-MASQ, BERTH-EXTERNAL-SERVICES,
 * BERTH-FORWARD, and per port BERTH-SVC-/SVL-/EXT-/SEP-<hash>: chain-names.ts),
 * the jumps into them from PREROUTING/OUTPUT/POSTROUTING (nat) and
 * INPUT/FORWARD/OUTPUT (filter), and the machine lease that says which node
 * writes them (/run/berth/service-network.lease, ../service-network-lease.ts).
 *
 * Does not own: BERTH-FIREWALL, the localnet firewall
 * (containerd/localnet-firewall*.ts), which must be held while NodePorts
 * answer on 127.0.0.1; the pods' bridge and CNI; watching the API (the
 * wiring feeds Services and EndpointSlices from its informers); cluster DNS.
 *
 * State: the latest Services and EndpointSlices given (ServiceProxy, one
 * writer: the wiring's calls) and the rules last written; the kernel's rules
 * are derived, rewritten whole at every sync. Loops and timers: one
 * coalescing sync loop per ServiceProxy (bounded-frequency-runner.ts: burst
 * of 2, then one sync per 500 ms; a full rewrite every 30 s; retries from
 * 1 s doubling to 30 s), all unref'd and on the injected clock.
 *
 * Pieces: service-port.ts and endpoints-map.ts convert kubernetes-types
 * Services and EndpointSlices into the model; categorize-endpoints.ts picks
 * ready (else serving-terminating) endpoints; render-rules.ts renders
 * iptables-restore input (pure); restore-transaction.ts adds stale-chain
 * deletion and missing jumps to make the one transaction per sync, and
 * builds the removal; iptables-runner.ts runs iptables-save/-restore
 * asynchronously; service-proxy.ts is the loop; host-sysctls.ts and
 * machine-service-proxy.ts are the host's side.
 *
 * For the wiring (src/main.ts, `berth down`):
 *
 *   const { proxy, bridgeNetfilter } = machineServiceProxy({ dataDir, nodeName });
 *   // bridgeNetfilter !== 'on': warn — pod -> ClusterIP -> pod on the bridge will hang
 *   proxy.start();                       // throws ProxyError Held if another node programs Services
 *   proxy.replaceAll(services, slices);  // once both informers have listed (and on every re-list)
 *   proxy.setService(s) / deleteService(ns, name) / setEndpointSlice(es) / deleteEndpointSlice(ns, name)
 *   proxy.status();                      // { initialized, syncs, lastSyncAt, lastError } for readiness
 *   await proxy.stop();                  // at shutdown: the rules stay for pods that outlive the process
 *   await removeMachineServiceProxy();   // berth down: deletes chains and jumps unless a live node holds the lease
 *
 * The host must give: iptables (the binaries portmap uses), root, the
 * localnet firewall held (BERTH-FIREWALL), br_netfilter loaded
 * (`modprobe br_netfilter`; machineServiceProxy turns bridge-nf-call-iptables
 * on), ip_forward (the CNI bridge's isGateway sets it), hairpin mode on the
 * pods' bridge ports (the CNI config's hairpinMode). route_localnet on the
 * bridge is set before each sync once the bridge exists.
 */
export { machineServiceProxy, removeMachineServiceProxy } from './machine-service-proxy.ts';
export type { MachineServiceProxy, MachineServiceProxyOptions } from './machine-service-proxy.ts';
export { ServiceProxy, removeServiceProxy, removeServiceRules } from './service-proxy.ts';
export type { ProxyStatus, RemoveOutcome, ServiceProxyOptions } from './service-proxy.ts';
export { renderRules, renderTables, modelOf } from './render-rules.ts';
export type { DesiredState, ProxyConfig } from './render-rules.ts';
export { systemIptablesRunner } from './iptables-runner.ts';
export type { IptablesRunner } from './iptables-runner.ts';
export { ProxyError, ProxyErrorCode } from './proxy-error.ts';
export { bridgeNetfilter, enableBridgeNetfilter, enableRouteLocalnet } from './host-sysctls.ts';
export type { ProxyClock } from './clock.ts';
