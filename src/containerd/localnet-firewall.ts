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
 * rule and is jumped to first thing in INPUT and OUTPUT. Install and removal
 * are each one `iptables-save -t filter` that reads the table and at most one
 * `iptables-restore --noflush` that writes the difference, rather than a
 * command per rule checked or changed: each iptables exec is a blocking
 * spawnSync on berth's start and shutdown path (about 13 ms apiece in a
 * profile of a shutdown on 2 cores).
 *   - Install declares the chain, which in --noflush mode flushes it (so it
 *     repairs a chain someone edited), writes its rule, and inserts a jump at
 *     the top of each hook that has none. Two nodes starting at once may both
 *     insert one, which is harmless: removal deletes every copy.
 *   - Removal deletes each jump from INPUT and OUTPUT as saved, then flushes
 *     and deletes the chain. The transaction is atomic: if a rule elsewhere
 *     (one berth did not write) still jumps to the chain, iptables refuses it
 *     and nothing changes.
 *
 * Runs `iptables-save` and `iptables-restore` from berth's search path, where
 * portmap finds `iptables` (containerd passes the same PATH to CNI), so the
 * rule lands in the same backend (nf_tables or legacy, as Debian's
 * alternatives choose) as portmap's DNAT. Who installs it and when it may go:
 * localnet-firewall-holders.ts.
 */
import { spawnSync } from 'node:child_process';
import { parseIptablesSave } from '../network/proxy/restore-transaction.ts';
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
  /** `iptables-save -t filter`. */
  save(): CommandResult & { stdout: string };
  /** `iptables-restore -w --noflush`, `input` on stdin. */
  restore(input: string): CommandResult;
}

export class LocalnetFirewallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalnetFirewallError';
  }
}

const CHAIN_RULE = `-A ${LOCALNET_FIREWALL_CHAIN} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`;

/** An iptables-restore transaction on the filter table. */
function filterTransaction(lines: string[]): string {
  return ['*filter', ...lines, 'COMMIT', ''].join('\n');
}

/** The filter table's BERTH-FIREWALL chain as iptables-restore input. */
export function renderLocalnetFirewall(): string {
  return filterTransaction([`:${LOCALNET_FIREWALL_CHAIN} - [0:0]`, CHAIN_RULE]);
}

/** What the filter table holds of the firewall. */
export interface SavedLocalnetFirewall {
  /** The chain is declared. */
  chain: boolean;
  /**
   * Rules of INPUT and OUTPUT whose target is the chain, as saved without
   * `-A` ("INPUT -j BERTH-FIREWALL"): what `-D` takes to delete each one.
   */
  jumps: string[];
}

/**
 * Reads the firewall out of `iptables-save` output (parsed as the Service
 * proxy parses it); only the `*filter` section counts. A jump is any INPUT or
 * OUTPUT rule whose target is the chain, whatever matches come before.
 */
export function parseSavedLocalnetFirewall(saved: string): SavedLocalnetFirewall {
  const filter = parseIptablesSave(saved).get('filter');
  const hooks: readonly string[] = LOCALNET_FIREWALL_HOOKS;
  return {
    chain: filter?.chains.has(LOCALNET_FIREWALL_CHAIN) ?? false,
    jumps: (filter?.rules ?? []).filter((r) => hooks.includes(r.chain) && r.target === LOCALNET_FIREWALL_CHAIN).map((r) => r.line.slice('-A '.length)),
  };
}

/** iptables-save and iptables-restore found on `path`, or the name of the missing one. */
export function systemIptables(path: string): Iptables | { missing: string } {
  const save = findExecutable('iptables-save', path);
  if (!save) return { missing: 'iptables-save' };
  const restore = findExecutable('iptables-restore', path);
  if (!restore) return { missing: 'iptables-restore' };
  const exec = (file: string, args: string[], input?: string) => {
    // maxBuffer: a filter table with many rules (kube-proxy's, Docker's) can outgrow spawnSync's 1 MiB default.
    const r = spawnSync(file, args, { input, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 << 20 });
    if (r.error) return { code: -1, stdout: '', stderr: r.error.message };
    // iptables-restore (nf_tables) puts its version and the failing line on separate lines.
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.trim().replace(/\s*\n\s*/g, ' ') };
  };
  return {
    save: () => exec(save, ['-t', 'filter']),
    restore: (input) => exec(restore, ['-w', '--noflush'], input),
  };
}

function readFilterTable(ipt: Iptables, action: string): SavedLocalnetFirewall {
  const r = ipt.save();
  if (r.code !== 0) throw new LocalnetFirewallError(`${action}: iptables-save failed: ${r.stderr || `exit code ${r.code}`}`);
  return parseSavedLocalnetFirewall(r.stdout);
}

/**
 * Writes the chain and makes INPUT and OUTPUT jump to it first. Idempotent:
 * a hook that already holds the unconditional jump, wherever in the hook,
 * gets no second one.
 */
export function installLocalnetFirewall(ipt: Iptables): void {
  const action = 'install the localnet firewall';
  const saved = readFilterTable(ipt, action);
  const lines = [`:${LOCALNET_FIREWALL_CHAIN} - [0:0]`, CHAIN_RULE];
  for (const hook of LOCALNET_FIREWALL_HOOKS) {
    const jump = `${hook} -j ${LOCALNET_FIREWALL_CHAIN}`;
    if (!saved.jumps.some((j) => j.split(/\s+/).join(' ') === jump)) lines.push(`-I ${hook} 1 -j ${LOCALNET_FIREWALL_CHAIN}`);
  }
  const r = ipt.restore(filterTransaction(lines));
  if (r.code !== 0) throw new LocalnetFirewallError(`${action}: iptables-restore failed: ${r.stderr || `exit code ${r.code}`}`);
}

/**
 * Deletes every jump from INPUT and OUTPUT to the chain, then the chain, in
 * one transaction. Idempotent: no chain is nothing to do (a jump cannot exist
 * without its chain: iptables refuses both). When another chain still jumps
 * to it, iptables refuses the transaction, nothing changes, and this throws.
 */
export function removeLocalnetFirewall(ipt: Iptables): void {
  const saved = readFilterTable(ipt, 'remove the localnet firewall');
  if (!saved.chain) return;
  const lines = [...saved.jumps.map((j) => `-D ${j}`), `-F ${LOCALNET_FIREWALL_CHAIN}`, `-X ${LOCALNET_FIREWALL_CHAIN}`];
  const r = ipt.restore(filterTransaction(lines));
  if (r.code !== 0) {
    throw new LocalnetFirewallError(`remove the localnet firewall: iptables could not delete chain "${LOCALNET_FIREWALL_CHAIN}": ${r.stderr || `exit code ${r.code}`}`);
  }
}
