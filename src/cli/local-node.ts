/**
 * A berth node on this machine seen from outside, through its data
 * directory: where its files are, whether a `berth serve` is running on it
 * (the pid file main.ts writes, checked against /proc), and which processes
 * still belong to it (its containerd and the shims that containerd started).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NODE_PID_FILE } from '../paths.ts';
import { processAlive, processArgv } from '../containerd/process-table.ts';
import { containerdSocketPath } from '../containerd/socket-path.ts';

export class LocalNode {
  readonly dataDir: string;

  constructor(dataDir: string) {
    this.dataDir = resolve(dataDir);
  }

  get kubeconfigPath(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  get serveLogPath(): string {
    return join(this.dataDir, 'serve.log');
  }

  get containerdSocket(): string {
    return containerdSocketPath(this.dataDir);
  }

  get containerdPidPath(): string {
    return join(this.dataDir, 'containerd', 'containerd.pid');
  }

  /** Something of berth's is there (a state database or containerd state). */
  get exists(): boolean {
    return existsSync(join(this.dataDir, 'state.db')) || existsSync(join(this.dataDir, 'containerd'));
  }

  /** The pid of the `berth serve` running on this data directory, if one is. */
  servePid(): number | undefined {
    const pid = livePid(join(this.dataDir, NODE_PID_FILE));
    return pid !== undefined && isBerthServe(processArgv(pid)) ? pid : undefined;
  }

  /** The running containerd of this data directory (its pid file, checked against /proc). */
  containerdPid(): number | undefined {
    const pid = livePid(this.containerdPidPath);
    if (pid === undefined) return undefined;
    const argv = processArgv(pid);
    if (!argv || basename(argv[0]) !== 'containerd') return undefined;
    const i = argv.indexOf('--config');
    return i !== -1 && resolve(argv[i + 1] ?? '') === join(this.dataDir, 'containerd', 'config.toml') ? pid : undefined;
  }

  /** Pids of containerd-shim processes started by this node's containerd. */
  shimPids(): number[] {
    const socket = this.containerdSocket;
    const pids: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const argv = processArgv(Number(name));
      if (!argv || !basename(argv[0]).startsWith('containerd-shim')) continue;
      const i = argv.indexOf('-address');
      if (i !== -1 && argv[i + 1] === socket) pids.push(Number(name));
    }
    return pids;
  }

  /** Mount points at or below the data directory, in mount order. */
  mounts(): string[] {
    const dir = this.dataDir;
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m): m is string => m !== undefined)
      .map((m) => m.replace(/\\([0-7]{3})/g, (_, oct) => String.fromCharCode(parseInt(oct, 8))))
      .filter((m) => m === dir || m.startsWith(`${dir}/`));
  }
}

/** The live process a pid file names, if it names one. */
function livePid(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

/** argv of `berth serve` (run as `node …/berth.js serve`, `berth serve` or through npx; `berth.ts serve` is a node an earlier berth started). */
export function isBerthServe(argv: string[] | undefined): boolean {
  if (!argv) return false;
  const i = argv.findIndex((a) => /^berth(\.js|\.ts)?$/.test(basename(a)));
  return i !== -1 && argv[i + 1] === 'serve';
}
