/**
 * What `berth doctor` checks, each a function of a DoctorEnv (the machine as
 * seen through /proc, a few commands and the directories it names: binaries
 * are looked up on env.searchPath and in env.cniBinDir), so tests can present
 * any machine. Every finding that is not ok says exactly what to install or
 * change.
 *
 * fail: berth cannot run pods until it is fixed. warn: berth runs, but
 * something (hostPort, kubectl, speed) will not work as expected.
 */
import { checkPrerequisites } from '../containerd/containerd.ts';
import { findExecutable, isExecutable } from '../containerd/find-executable.ts';
import { join } from 'node:path';

export type Level = 'ok' | 'warn' | 'fail';

export interface Finding {
  level: Level;
  /** One line: what was found, and for warn/fail what to do. */
  text: string;
}

export interface DoctorEnv {
  uid: number | undefined;
  nodeVersion: string;
  /** Where berth looks for containerd and runc ($PATH plus the sbin directories). */
  searchPath: string;
  /** The user's $PATH (where kubectl is looked for). */
  userPath: string;
  cniBinDir: string;
  readFile(path: string): string | undefined;
  listDir(path: string): string[];
  /** Free bytes on the file system holding `path` (or its nearest existing parent). */
  freeBytes(path: string): number | undefined;
  /** stdout of a command, undefined when it fails. */
  run(cmd: string, args: string[]): string | undefined;
  dataDir: string;
  projectRoot: string;
  port: number;
  /** What listens on 127.0.0.1:port: nothing, this data dir's berth (its pid), or something else. */
  portState: { state: 'free' } | { state: 'berth'; pid: number } | { state: 'busy' };
  /** The `berth serve` running on dataDir, if any. */
  servePid: number | undefined;
}

const GiB = 1024 ** 3;

function nodeCheck(env: DoctorEnv): Finding {
  const major = Number(/^v?(\d+)/.exec(env.nodeVersion)?.[1] ?? 0);
  if (major >= 24) return { level: 'ok', text: `Node.js ${env.nodeVersion}` };
  return {
    level: 'fail',
    text: `Node.js ${env.nodeVersion} is too old: berth needs Node 24 or later; "npm run setup" installs it into node_modules, then run berth with "npx berth"`,
  };
}

function rootCheck(env: DoctorEnv): Finding {
  if (env.uid === 0) return { level: 'ok', text: 'running as root' };
  return { level: 'fail', text: `running as uid ${env.uid}: berth must run as root (containerd and runc need it): run it with "sudo"` };
}

const CAPS: [number, string, string][] = [
  [21, 'CAP_SYS_ADMIN', 'mounting volumes and container file systems'],
  [12, 'CAP_NET_ADMIN', 'pod networks (CNI)'],
];

function capabilityCheck(env: DoctorEnv): Finding | undefined {
  if (env.uid !== 0) return undefined;
  const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(env.readFile('/proc/self/status') ?? '')?.[1];
  if (!hex) return undefined;
  const eff = BigInt(`0x${hex}`);
  const missing = CAPS.filter(([bit]) => ((eff >> BigInt(bit)) & 1n) === 0n);
  if (missing.length === 0) return { level: 'ok', text: `capabilities ${CAPS.map((c) => c[1]).join(', ')}` };
  return {
    level: 'fail',
    text: `root lacks ${missing.map(([, n, why]) => `${n} (needed for ${why})`).join(' and ')}: run berth with full privileges (in a container: docker run --privileged)`,
  };
}

function versionOf(env: DoctorEnv, bin: string, args: string[], re: RegExp): string {
  const out = env.run(bin, args);
  return (out && re.exec(out)?.[1]) ?? '';
}

function binaryChecks(env: DoctorEnv): Finding[] {
  const out: Finding[] = [];
  const missing = checkPrerequisites({ path: env.searchPath, cniBinDir: env.cniBinDir, skipRootCheck: true });
  for (const m of missing) out.push({ level: 'fail', text: m.message });
  const has = (name: string) => !missing.some((m) => m.what === name);
  if (has('containerd')) {
    const bin = findExecutable('containerd', env.searchPath)!;
    const v = versionOf(env, bin, ['--version'], /containerd\s+\S+\s+v?(\d[^\s~+]*)/);
    out.push({ level: 'ok', text: `containerd${v ? ` ${v}` : ''} (${bin})` });
  }
  if (has('runc')) {
    const bin = findExecutable('runc', env.searchPath)!;
    const v = versionOf(env, bin, ['--version'], /runc version v?(\d[^\s~+]*)/);
    out.push({ level: 'ok', text: `runc${v ? ` ${v}` : ''} (${bin})` });
  }
  const cni = ['bridge', 'host-local', 'loopback'];
  if (cni.every((p) => !missing.some((m) => m.what === join(env.cniBinDir, p)))) {
    out.push({ level: 'ok', text: `CNI plugins ${cni.join(', ')} (${env.cniBinDir})` });
  }
  if (!isExecutable(join(env.cniBinDir, 'portmap'))) {
    out.push({ level: 'warn', text: `${join(env.cniBinDir, 'portmap')} not found: hostPort will not work; install it with "apt-get install containernetworking-plugins"` });
  }
  if (!findExecutable('iptables', env.searchPath)) {
    out.push({ level: 'warn', text: 'iptables not found: hostPort will not work; install it with "apt-get install iptables"' });
  }
  return out;
}

interface MountEntry {
  point: string;
  fstype: string;
  superOptions: string[];
}

function parseMountinfo(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left, right = ''] = line.split(' - ');
      const f = left.split(' ');
      const r = right.split(' ');
      return { point: f[4] ?? '', fstype: r[0] ?? '', superOptions: (r[2] ?? '').split(',') };
    });
}

function cgroupCheck(env: DoctorEnv): Finding {
  const mounts = parseMountinfo(env.readFile('/proc/self/mountinfo') ?? '');
  const root = mounts.filter((m) => m.point === '/sys/fs/cgroup').at(-1);
  const v1 = mounts.filter((m) => m.fstype === 'cgroup' && m.point.startsWith('/sys/fs/cgroup/'));
  const need = ['cpu', 'memory', 'pids'];
  if (root?.fstype === 'cgroup2') {
    const have = (env.readFile('/sys/fs/cgroup/cgroup.controllers') ?? '').trim().split(/\s+/);
    const lacking = need.filter((c) => !have.includes(c));
    if (lacking.length) {
      return { level: 'fail', text: `cgroups v2 without the ${lacking.join(', ')} controller${lacking.length > 1 ? 's' : ''}: enable ${lacking.length > 1 ? 'them' : 'it'} (add "+${lacking.join(' +')}" to /sys/fs/cgroup/cgroup.subtree_control)` };
    }
    return { level: 'ok', text: 'cgroups v2 (unified) with cpu, memory, pids' };
  }
  if (v1.length === 0) {
    return { level: 'fail', text: 'no cgroups mounted at /sys/fs/cgroup: mount them (systemd does on boot; in a container run it with --privileged or --cgroupns=host)' };
  }
  const have = new Set(v1.flatMap((m) => m.superOptions));
  const lacking = need.filter((c) => !have.has(c));
  if (lacking.length) {
    return { level: 'fail', text: `cgroups v1 without the ${lacking.join(', ')} controller${lacking.length > 1 ? 's' : ''}: enable ${lacking.length > 1 ? 'them' : 'it'} at boot (kernel parameter cgroup_enable=${lacking.join(',')})` };
  }
  const hybrid = mounts.some((m) => m.fstype === 'cgroup2' && m.point.startsWith('/sys/fs/cgroup/'));
  return { level: 'ok', text: `cgroups v1${hybrid ? ' (hybrid, with a v2 unified mount)' : ''} with cpu, memory, pids; berth uses runc with the cgroupfs driver` };
}

function overlayCheck(env: DoctorEnv): Finding {
  if (/\toverlay$/m.test(env.readFile('/proc/filesystems') ?? '')) return { level: 'ok', text: 'overlay file system' };
  return { level: 'warn', text: 'the overlay file system is not available: containerd falls back to the slower native snapshotter; load it with "modprobe overlay"' };
}

function portCheck(env: DoctorEnv): Finding {
  const p = env.portState;
  if (p.state === 'free') return { level: 'ok', text: `port ${env.port} on 127.0.0.1 is free for the API server` };
  if (p.state === 'berth') return { level: 'ok', text: `port ${env.port} on 127.0.0.1 is served by berth (pid ${p.pid})` };
  return { level: 'warn', text: `port ${env.port} on 127.0.0.1 is in use by another program: start berth with "berth serve --port N" (0 picks a free port)` };
}

function diskCheck(env: DoctorEnv): Finding {
  const free = env.freeBytes(env.dataDir);
  if (free === undefined) return { level: 'warn', text: `cannot tell the free space for ${env.dataDir}` };
  const gib = (free / GiB).toFixed(1);
  if (free < GiB) {
    return { level: 'fail', text: `only ${gib} GiB free for ${env.dataDir}: berth needs at least 1 GiB for images and containers; free some space or choose another data directory with --data-dir` };
  }
  if (free < 5 * GiB) return { level: 'warn', text: `${gib} GiB free for ${env.dataDir}: enough for the seed images, tight for pulled ones (5 GiB or more recommended)` };
  return { level: 'ok', text: `${gib} GiB free for ${env.dataDir}` };
}

function kubectlCheck(env: DoctorEnv): Finding {
  const bin = findExecutable('kubectl', env.userPath);
  if (!bin) {
    return { level: 'warn', text: 'kubectl not found on PATH: install it to drive berth (https://kubernetes.io/docs/tasks/tools/); "berth play" works without it' };
  }
  const out = env.run(bin, ['version', '--client', '-o', 'json']);
  let v = '';
  try {
    v = JSON.parse(out ?? '{}').clientVersion?.gitVersion ?? '';
  } catch {
    v = '';
  }
  const minor = Number(/^v1\.(\d+)/.exec(v)?.[1] ?? NaN);
  if (v && (minor < 32 || minor > 34)) {
    return { level: 'warn', text: `kubectl ${v} (${bin}): berth serves the Kubernetes 1.33 API and kubectl's version-skew policy asks for kubectl 1.32 to 1.34; install one of those` };
  }
  return { level: 'ok', text: `kubectl${v ? ` ${v}` : ''} (${bin})` };
}

function seedImagesCheck(env: DoctorEnv): Finding {
  const dir = join(env.projectRoot, 'images');
  const tars = env.listDir(dir).filter((f) => f.endsWith('.tar'));
  if (tars.length) return { level: 'ok', text: `seed images ${tars.join(', ')} (${dir})` };
  return { level: 'warn', text: `no seed images in ${dir}: pods using busybox:1.35 would need a registry; build them with "npm run setup"` };
}

/** Service routing between pods on one bridge needs bridged traffic to pass iptables (br_netfilter). */
function bridgeNetfilterCheck(env: DoctorEnv): Finding {
  const v = env.readFile('/proc/sys/net/bridge/bridge-nf-call-iptables')?.trim();
  if (v === '1') return { level: 'ok', text: 'bridged traffic passes iptables (br_netfilter), so pods reach pods through Services' };
  if (v === '0') return { level: 'ok', text: 'br_netfilter is loaded (berth turns bridge-nf-call-iptables on at start)' };
  return {
    level: 'warn',
    text: 'br_netfilter is not loaded: a pod cannot reach another pod through a ClusterIP (modprobe br_netfilter; in a container, load it on the host)',
  };
}

function nodeStateCheck(env: DoctorEnv): Finding | undefined {
  if (env.servePid === undefined) return undefined;
  return { level: 'ok', text: `a berth node is serving ${env.dataDir} (pid ${env.servePid})` };
}

/** Every check, in the order doctor prints them. */
export function runChecks(env: DoctorEnv): Finding[] {
  return [
    nodeCheck(env),
    rootCheck(env),
    capabilityCheck(env),
    ...binaryChecks(env),
    cgroupCheck(env),
    overlayCheck(env),
    bridgeNetfilterCheck(env),
    portCheck(env),
    diskCheck(env),
    kubectlCheck(env),
    seedImagesCheck(env),
    nodeStateCheck(env),
  ].filter((f): f is Finding => f !== undefined);
}
