/**
 * Which berth node on this machine owns the service dataplane.
 *
 * The nat and filter tables are the machine's, and every berth node on it
 * uses the same Service CIDR (10.96.0.0/12, `kubernetes` at 10.96.0.1), so two
 * nodes' rules for the same cluster IP would shadow each other: one node at a
 * time may program them. (The localnet firewall, by contrast, is the same for
 * every node, so its leases only count holders:
 * containerd/localnet-firewall-holders.ts.)
 *
 * The lease is one file, `/run/berth/service-proxy.lease`, created
 * exclusively (O_EXCL) with the holder's pid and data directory. A lease whose
 * process is gone is stale and taken over. A node whose lease is held by a
 * live process gets a ProxyError (Held) naming that node's data directory.
 * /run is cleared at reboot, together with the rules.
 *
 * Known gap: two nodes taking over the same stale lease in the same instant
 * may both succeed (unlink-then-create is not atomic); nothing berth runs
 * starts two nodes on top of a dead one at once.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProxyError, ProxyErrorCode } from './proxy-error.ts';

export const PROXY_LEASE_FILE = '/run/berth/service-proxy.lease';

export interface LeaseHolder {
  pid: number;
  dataDir: string;
}

/** kill(pid, 0): ESRCH means gone; EPERM means alive but not ours. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): LeaseHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LeaseHolder>;
    if (typeof v.pid === 'number' && typeof v.dataDir === 'string') return { pid: v.pid, dataDir: v.dataDir };
  } catch {
    // missing or unreadable: no holder
  }
  return undefined;
}

/** The live holder, if any; a stale lease is deleted on the way. */
export function proxyLeaseHolder(file = PROXY_LEASE_FILE, alive = processAlive): LeaseHolder | undefined {
  const holder = read(file);
  if (holder && alive(holder.pid)) return holder;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
  return undefined;
}

/** Takes the lease for `me`, idempotently; throws a ProxyError (Held) when another live node has it. */
export function acquireProxyLease(me: LeaseHolder, file = PROXY_LEASE_FILE, alive = processAlive): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = proxyLeaseHolder(file, alive);
    if (holder && holder.pid === me.pid && holder.dataDir === me.dataDir) return;
    if (holder) {
      throw new ProxyError(
        ProxyErrorCode.Held,
        `start the service proxy: the node with data directory "${holder.dataDir}" (pid ${holder.pid}) programs Services on this machine; stop it first`,
      );
    }
  }
  throw new ProxyError(ProxyErrorCode.Held, `start the service proxy: could not take the lease "${file}"`);
}

/** Gives the lease up if `me` holds it. */
export function releaseProxyLease(me: LeaseHolder, file = PROXY_LEASE_FILE): void {
  const holder = read(file);
  if (holder?.pid !== me.pid || holder.dataDir !== me.dataDir) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
