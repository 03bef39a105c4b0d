/**
 * Which berth node on this machine serves the service network.
 *
 * The service network is machine-wide: 10.96.0.0/12 with `kubernetes` at
 * 10.96.0.1 and `kube-dns` at 10.96.0.10, NAT rules in the host's tables,
 * and cluster DNS on the bridge every berth node shares. Two nodes on one
 * machine (the e2e tests run two at once; `berth play --ephemeral` beside a
 * `berth serve`) would hand out the same ClusterIPs, so exactly one node owns
 * it at a time. The others run without a Service dataplane or cluster DNS:
 * their pods get the host's resolv.conf, as on a node with no cluster DNS,
 * and their Services are API objects only.
 *
 * The lease is a file, `/run/berth/service-network.lease`, created
 * exclusively (O_EXCL) and holding the owner's pid and data directory. A
 * lease whose process is gone is stale and taken over. /run is cleared at
 * reboot.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const SERVICE_NETWORK_LEASE = '/run/berth/service-network.lease';

export interface LeaseHolder {
  pid: number;
  dataDir: string;
}

export interface LeaseOptions {
  path?: string;
  pid?: number;
  alive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the lease, if any. */
export function leaseHolder(opts: LeaseOptions = {}): LeaseHolder | undefined {
  const path = opts.path ?? SERVICE_NETWORK_LEASE;
  const alive = opts.alive ?? processAlive;
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LeaseHolder;
    return Number.isInteger(holder.pid) && alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lease for `dataDir` unless a live process holds it; returns the
 * holder that keeps it otherwise. Idempotent for the same pid.
 */
export function acquireLease(dataDir: string, opts: LeaseOptions = {}): { acquired: true } | { acquired: false; holder: LeaseHolder } {
  const path = opts.path ?? SERVICE_NETWORK_LEASE;
  const pid = opts.pid ?? process.pid;
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid, dataDir } satisfies LeaseHolder), { flag: 'wx', mode: 0o644 });
      return { acquired: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = leaseHolder(opts);
    if (holder?.pid === pid && holder.dataDir === dataDir) return { acquired: true };
    if (holder) return { acquired: false, holder };
    // Stale: its process is gone. Remove it and try again (another node may win the race).
    rmSync(path, { force: true });
  }
  const holder = leaseHolder(opts);
  return holder ? { acquired: false, holder } : { acquired: true };
}

/** Waits up to `timeoutMs` for the lease. */
export async function waitForLease(dataDir: string, timeoutMs: number, opts: LeaseOptions & { signal?: AbortSignal } = {}): Promise<ReturnType<typeof acquireLease>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = acquireLease(dataDir, opts);
    if (r.acquired || Date.now() >= end) return r;
    await sleep(200, undefined, { signal: opts.signal });
  }
}

/** Gives the lease up if this process (for `dataDir`, when given) holds it. */
export function releaseLease(opts: LeaseOptions & { dataDir?: string } = {}): void {
  const path = opts.path ?? SERVICE_NETWORK_LEASE;
  const pid = opts.pid ?? process.pid;
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LeaseHolder;
    if (holder.pid === pid && (opts.dataDir === undefined || holder.dataDir === opts.dataDir)) rmSync(path, { force: true });
  } catch {
    // No lease, or not readable: nothing of ours to give up.
  }
}
