/**
 * Reading /proc about one process, and ending a process that is not our child
 * (a containerd left behind by a berth that was SIGKILLed). Linux only.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** argv of a live process, or undefined when it is gone (or a zombie with no cmdline). */
export function processArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!raw) return undefined;
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); its state letter tells it apart.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * SIGTERM, wait up to `graceMs` for the process to disappear, then SIGKILL and
 * wait again. Resolves true when it is gone.
 */
export async function terminateProcess(pid: number, graceMs: number): Promise<boolean> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  const gone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!processAlive(pid)) return true;
      await sleep(10);
    }
    return !processAlive(pid);
  };
  signal('SIGTERM');
  if (await gone(graceMs)) return true;
  signal('SIGKILL');
  return gone(5000);
}

/**
 * The 127.0.0.1 TCP address a process listens on (its first listening IPv4
 * socket), found by matching its socket fds against /proc/net/tcp.
 */
export function listeningTcpAddress(pid: number): string | undefined {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((x): x is string => x !== undefined),
    );
  } catch {
    return undefined;
  }
  let table: string;
  try {
    table = readFileSync(`/proc/${pid}/net/tcp`, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // f[1] local address (hex ip:port), f[3] state (0A = LISTEN), f[9] inode.
    if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue;
    const [ipHex, portHex] = f[1].split(':');
    const ip = [3, 2, 1, 0].map((i) => parseInt(ipHex.slice(i * 2, i * 2 + 2), 16)).join('.');
    return `${ip}:${parseInt(portHex, 16)}`;
  }
  return undefined;
}

/**
 * containerd shims started for the containerd at `socketPath` whose task
 * bundle is gone: a shim runs with its bundle as working directory, and
 * containerd removes the bundle when it deletes the task. Such a shim was
 * left behind by a containerd stopped while it started or deleted a task,
 * serves nothing, and is never reaped by anyone else.
 */
export function orphanShims(socketPath: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const argv = processArgv(pid);
    if (!argv || !/containerd-shim/.test(argv[0] ?? '')) continue;
    const i = argv.indexOf('-address');
    if (i < 0 || argv[i + 1] !== socketPath) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cwd.endsWith(' (deleted)')) out.push(pid);
  }
  return out;
}
