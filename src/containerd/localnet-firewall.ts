/**
 * The localnet firewall: the iptables rule that keeps pods off the node's
 * 127.0.0.0/8 (CVE-2020-8558), berth's copy of kube-proxy's and the kubelet's
 * KUBE-FIREWALL "block incoming localnet connections" (pkg/proxy/iptables
 * proxier.go, pkg/kubelet/kubelet_network_linux.go in v1.33).
 *
 * Why it is needed: the CNI portmap plugin (cni-config.ts) sets
 * net.ipv4.conf.<bridge>.route_localnet=1 each time a pod with a hostPort
 * starts (portmap.go forwardPorts, whenever SNAT is on, its default), so that
 * `127.0.0.1:<hostPort>` on the node can be DNAT'd to the pod and leave on the
 * bridge with source 127.0.0.1. With that bit set, the kernel no longer treats
 * packets *to* 127/8 arriving on the bridge as martians: a pod that frames a
 * packet for 127.0.0.1 to its gateway's MAC reaches every service bound to the
 * node's loopback (berth's API server, containerd's streaming server).
 *
 * The rule drops what is addressed to 127.0.0.0/8 from outside 127.0.0.0/8
 * unless conntrack already knows the flow (RELATED, ESTABLISHED) or a DNAT made
 * it (hostPort): hostPort keeps working from the node's loopback and from pods.
 *
 * Layout (filter table), as kube-proxy's: chain BERTH-FIREWALL holds the one
 * rule and is jumped to first thing in INPUT and OUTPUT. The chain's content is
 * written with `iptables-restore --noflush`, where declaring the chain flushes
 * it: one atomic write, idempotent, and it repairs a chain someone edited. The
 * jumps are checked, then inserted at the top; two nodes starting at once may
 * both insert one, which is harmless, and removal deletes every copy.
 *
 * Runs `iptables` and `iptables-restore` from berth's search path: the
 * binaries portmap runs (containerd passes the same PATH to CNI), so the rule
 * lands in the same backend (nf_tables or legacy, as Debian's alternatives
 * choose) as portmap's DNAT. Who installs it and when it may go:
 * localnet-firewall-holders.ts.
 */
import { spawnSync } from 'node:child_process';
import { findExecutable } from './find-executable.ts';

export const LOCALNET_FIREWALL_CHAIN = 'BERTH-FIREWALL';
/** Built-in chains that jump to LOCALNET_FIREWALL_CHAIN, as kube-proxy's KUBE-FIREWALL. */
export const LOCALNET_FIREWALL_HOOKS = ['INPUT', 'OUTPUT'] as const;

export interface CommandResult {
  code: number;
  stderr: string;
}

/** The two iptables entry points berth uses; tests present a fake. */
export interface Iptables {
  /** `iptables -w ARGS`. */
  run(args: string[]): CommandResult;
  /** `iptables-restore -w --noflush`, `input` on stdin. */
  restore(input: string): CommandResult;
}

export class LocalnetFirewallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalnetFirewallError';
  }
}

/** The filter table's BERTH-FIREWALL chain as iptables-restore input. */
export function renderLocalnetFirewall(): string {
  return [
    '*filter',
    `:${LOCALNET_FIREWALL_CHAIN} - [0:0]`,
    `-A ${LOCALNET_FIREWALL_CHAIN} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    'COMMIT',
    '',
  ].join('\n');
}

/** iptables and iptables-restore found on `path`, or the name of the missing one. */
export function systemIptables(path: string): Iptables | { missing: string } {
  const iptables = findExecutable('iptables', path);
  if (!iptables) return { missing: 'iptables' };
  const restore = findExecutable('iptables-restore', path);
  if (!restore) return { missing: 'iptables-restore' };
  const exec = (file: string, args: string[], input?: string): CommandResult => {
    const r = spawnSync(file, args, { input, encoding: 'utf8', timeout: 30_000 });
    if (r.error) return { code: -1, stderr: r.error.message };
    return { code: r.status ?? -1, stderr: r.stderr.trim() };
  };
  return {
    run: (args) => exec(iptables, ['-w', ...args]),
    restore: (input) => exec(restore, ['-w', '--noflush'], input),
  };
}

function jump(hook: string): string[] {
  return [hook, '-j', LOCALNET_FIREWALL_CHAIN];
}

/** Writes the chain and makes INPUT and OUTPUT jump to it first. Idempotent. */
export function installLocalnetFirewall(ipt: Iptables): void {
  const r = ipt.restore(renderLocalnetFirewall());
  if (r.code !== 0) throw new LocalnetFirewallError(`install the localnet firewall: iptables-restore failed: ${r.stderr || `exit code ${r.code}`}`);
  for (const hook of LOCALNET_FIREWALL_HOOKS) {
    const check = ipt.run(['-C', ...jump(hook)]);
    if (check.code === 0) continue;
    // 1: no such rule; anything else is an error (-C says 2 for a missing chain).
    if (check.code !== 1) throw new LocalnetFirewallError(`install the localnet firewall: iptables -C ${jump(hook).join(' ')} failed: ${check.stderr}`);
    const add = ipt.run(['-I', hook, '1', '-j', LOCALNET_FIREWALL_CHAIN]);
    if (add.code !== 0) throw new LocalnetFirewallError(`install the localnet firewall: iptables -I ${hook} 1 -j ${LOCALNET_FIREWALL_CHAIN} failed: ${add.stderr}`);
  }
}

/**
 * Deletes every jump to the chain, then the chain. Idempotent: nothing
 * installed is nothing to do, found with one command (a jump cannot exist
 * without its chain: iptables refuses both).
 */
export function removeLocalnetFirewall(ipt: Iptables): void {
  if (ipt.run(['-n', '-L', LOCALNET_FIREWALL_CHAIN]).code !== 0) return;
  for (const hook of LOCALNET_FIREWALL_HOOKS) {
    // Bounded: a -D that keeps succeeding would mean iptables is not deleting.
    for (let i = 0; i < 100 && ipt.run(['-D', ...jump(hook)]).code === 0; i++);
  }
  const flush = ipt.run(['-F', LOCALNET_FIREWALL_CHAIN]);
  const del = flush.code === 0 ? ipt.run(['-X', LOCALNET_FIREWALL_CHAIN]) : flush;
  if (del.code !== 0) throw new LocalnetFirewallError(`remove the localnet firewall: iptables could not delete chain "${LOCALNET_FIREWALL_CHAIN}": ${del.stderr}`);
}
