/**
 * What berth needs on the machine to run pods, each missing item with the exact
 * fix. `berth doctor` prints the list; `berth serve` refuses to start on a
 * non-empty one.
 */
import { join } from 'node:path';
import { findExecutable, isExecutable } from './find-executable.ts';

export interface MissingPrerequisite {
  /** What is missing: a binary name or a path. */
  what: string;
  /** One line: the problem and the command that fixes it. */
  message: string;
}

export interface PrerequisiteOptions {
  /** PATH-style list searched for binaries. Default: $PATH plus the sbin directories. */
  path?: string;
  cniBinDir?: string;
  /** Skip the root check (tests that only look at binaries). */
  skipRootCheck?: boolean;
}

export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback'] as const;
const BINARIES: { name: string; pkg: string }[] = [
  { name: 'containerd', pkg: 'containerd' },
  { name: 'containerd-shim-runc-v2', pkg: 'containerd' },
  { name: 'ctr', pkg: 'containerd' },
  { name: 'runc', pkg: 'runc' },
];

/** $PATH with the sbin directories, where runc and iptables live, appended. */
export function defaultSearchPath(): string {
  return [process.env.PATH ?? '', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
    .filter(Boolean)
    .join(':');
}

export function checkPrerequisites(opts: PrerequisiteOptions = {}): MissingPrerequisite[] {
  const path = opts.path ?? defaultSearchPath();
  const cniBinDir = opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR;
  const missing: MissingPrerequisite[] = [];
  if (!opts.skipRootCheck && typeof process.getuid === 'function' && process.getuid() !== 0) {
    missing.push({ what: 'root', message: 'berth must run as root (containerd and runc need it): run it with "sudo"' });
  }
  for (const b of BINARIES) {
    if (!findExecutable(b.name, path)) {
      missing.push({ what: b.name, message: `${b.name} not found: install it with "apt-get install ${b.pkg}"` });
    }
  }
  for (const p of CNI_PLUGINS) {
    const file = join(cniBinDir, p);
    if (!isExecutable(file)) {
      missing.push({ what: file, message: `${file} not found: install it with "apt-get install containernetworking-plugins"` });
    }
  }
  return missing;
}
