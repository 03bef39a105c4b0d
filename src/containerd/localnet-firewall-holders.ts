/**
 * Who holds the localnet firewall (localnet-firewall.ts) on this machine, and
 * so when it may go.
 *
 * The firewall is machine-wide (one filter table) and so is the bridge: every
 * berth node on the machine puts its pods on the same bridge (cni-config.ts),
 * and the e2e tests run two nodes at once. So one node stopping must not take
 * the firewall from another.
 *
 * Holding: a serving node writes a lease,
 * `/run/berth/localnet-firewall/<pid>-<hash of its data directory>` (the data
 * directory inside, for people; the hash keeps apart two nodes one process
 * runs, as tests and benchmarks do), and then installs the firewall, before
 * containerd starts, so before any pod of the node runs.
 *
 * Releasing (a node stopping; the end of `berth down`): the node's lease is
 * deleted, and the firewall is removed only when nothing can need it any more:
 *   - no lease of a live process is left (a node with no pods yet may start
 *     one at any moment), and
 *   - no pod of any node is left on the bridge (a stopped or killed berth
 *     leaves its pods running in their shims, and portmap's route_localnet
 *     stays on as long as the bridge does).
 * Then route_localnet on the bridge is set back to 0, so the machine is as
 * berth found it (portmap sets it again for the next hostPort pod). Once
 * removed, the leases are read again and the firewall reinstalled if a node
 * wrote one meanwhile: a starting node writes its lease before it installs,
 * so whichever of the two comes second leaves the firewall in place.
 *
 * A lease whose process is gone is stale; whoever finds it deletes it. A
 * reused pid only keeps the firewall longer, which fails safe. /run is
 * cleared at reboot, together with the rules themselves.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installLocalnetFirewall, removeLocalnetFirewall, systemIptables } from './localnet-firewall.ts';
import { defaultSearchPath } from './prerequisites.ts';
import { processAlive } from './process-table.ts';

export const LOCALNET_FIREWALL_LEASE_DIR = '/run/berth/localnet-firewall';

export interface LocalnetFirewallHolders {
  /** The firewall itself: installLocalnetFirewall / removeLocalnetFirewall over iptables. */
  firewall: { install(): void; remove(): void };
  /** The bridge every berth pod is on. */
  bridge: string;
  /** Default LOCALNET_FIREWALL_LEASE_DIR. */
  leaseDir?: string;
  /** Default /sys/class/net (the bridge's ports are in <bridge>/brif). */
  sysClassNet?: string;
  /** Default /proc/sys/net/ipv4/conf. */
  ipv4Conf?: string;
  /** Default: process-table's processAlive. */
  alive?: (pid: number) => boolean;
}

export type ReleaseOutcome =
  | { removed: true }
  | { removed: false; heldBy: number[]; podsOnBridge: number };

/** This machine's holders of the firewall on `bridge`, over iptables; `missing` names an absent binary. */
export function machineLocalnetFirewall(bridge: string): LocalnetFirewallHolders | { missing: string } {
  const ipt = systemIptables(defaultSearchPath());
  if ('missing' in ipt) return ipt;
  return { bridge, firewall: { install: () => installLocalnetFirewall(ipt), remove: () => removeLocalnetFirewall(ipt) } };
}

function leaseDir(h: LocalnetFirewallHolders): string {
  return h.leaseDir ?? LOCALNET_FIREWALL_LEASE_DIR;
}

function leaseFile(h: LocalnetFirewallHolders, pid: number, dataDir: string): string {
  return join(leaseDir(h), `${pid}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
}

/** Pids of live holders; stale leases are deleted on the way. */
function liveHolders(h: LocalnetFirewallHolders): number[] {
  const alive = h.alive ?? processAlive;
  let names: string[];
  try {
    names = readdirSync(leaseDir(h));
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? 0);
    if (pid > 0 && alive(pid)) live.push(pid);
    else rmSync(join(leaseDir(h), name), { force: true });
  }
  return live;
}

/** Interfaces enslaved to the bridge: one per pod of any node. */
function podsOnBridge(h: LocalnetFirewallHolders): number {
  try {
    return readdirSync(join(h.sysClassNet ?? '/sys/class/net', h.bridge, 'brif')).length;
  } catch {
    return 0;
  }
}

function resetRouteLocalnet(h: LocalnetFirewallHolders): void {
  try {
    writeFileSync(join(h.ipv4Conf ?? '/proc/sys/net/ipv4/conf', h.bridge, 'route_localnet'), '0\n');
  } catch {
    // No bridge (never created, or deleted): nothing routes 127/8 on it.
  }
}

/**
 * Records `pid` as a holder, then installs the firewall. Throws (with the
 * lease deleted again) when the install fails.
 */
export function holdLocalnetFirewall(h: LocalnetFirewallHolders, pid: number, dataDir: string): void {
  mkdirSync(leaseDir(h), { recursive: true, mode: 0o700 });
  const lease = leaseFile(h, pid, dataDir);
  writeFileSync(lease, `${dataDir}\n`);
  try {
    h.firewall.install();
  } catch (err) {
    rmSync(lease, { force: true });
    throw err;
  }
}

/**
 * Deletes the lease of the node `pid` runs on `dataDir` (none for `berth
 * down`, whose node process is gone) and removes the firewall when no live
 * holder and no pod is left.
 */
export function releaseLocalnetFirewall(h: LocalnetFirewallHolders, node?: { pid: number; dataDir: string }): ReleaseOutcome {
  if (node) rmSync(leaseFile(h, node.pid, node.dataDir), { force: true });
  const heldBy = liveHolders(h);
  const pods = podsOnBridge(h);
  if (heldBy.length > 0 || pods > 0) return { removed: false, heldBy, podsOnBridge: pods };
  h.firewall.remove();
  resetRouteLocalnet(h);
  const late = liveHolders(h);
  if (late.length > 0) {
    h.firewall.install();
    return { removed: false, heldBy: late, podsOnBridge: 0 };
  }
  return { removed: true };
}
