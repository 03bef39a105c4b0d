import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks, type DoctorEnv, type Finding } from './doctor-checks.ts';

const V1_MOUNTS = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
].join('\n');

/** A machine with everything berth needs, its binaries as scripts in a temp dir. */
function machine(t: { after(fn: () => void): void }, change: Partial<DoctorEnv> = {}, omit: string[] = []): DoctorEnv {
  const dir = mkdtempSync(join(tmpdir(), 'berth-doctor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, 'bin');
  const cni = join(dir, 'cni');
  mkdirSync(bin);
  mkdirSync(cni);
  for (const name of ['containerd', 'containerd-shim-runc-v2', 'ctr', 'runc', 'iptables', 'kubectl']) {
    if (omit.includes(name)) continue;
    writeFileSync(join(bin, name), '#!/bin/sh\n');
    chmodSync(join(bin, name), 0o755);
  }
  for (const p of ['bridge', 'host-local', 'loopback', 'portmap']) {
    if (omit.includes(p)) continue;
    writeFileSync(join(cni, p), '');
    chmodSync(join(cni, p), 0o755);
  }
  const files: Record<string, string> = {
    '/proc/self/status': 'Name:\tnode\nCapEff:\t000001fffeffffff\n',
    '/proc/self/mountinfo': V1_MOUNTS,
    '/proc/filesystems': 'nodev\ttmpfs\nnodev\toverlay\n',
    '/proc/sys/net/bridge/bridge-nf-call-iptables': '1\n',
  };
  const outputs: Record<string, string> = {
    containerd: 'containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1\n',
    runc: 'runc version 1.1.5+ds1\n',
    kubectl: '{"clientVersion":{"gitVersion":"v1.32.4"}}',
  };
  return {
    uid: 0,
    nodeVersion: 'v24.1.0',
    searchPath: bin,
    userPath: bin,
    cniBinDir: cni,
    readFile: (p) => files[p],
    listDir: () => ['busybox-1.35.tar', 'pause.tar'],
    freeBytes: () => 50 * 1024 ** 3,
    run: (cmd) => outputs[cmd.split('/').at(-1)!],
    dataDir: '/var/lib/berth',
    projectRoot: '/src/berth',
    port: 6443,
    portState: { state: 'free' },
    servePid: undefined,
    ...change,
  };
}

const levels = (fs: Finding[]) => fs.filter((f) => f.level !== 'ok').map((f) => `${f.level}: ${f.text}`);

describe('runChecks', () => {
  it('runChecks finds nothing to fix on a complete machine', (t) => {
    const findings = runChecks(machine(t));
    assert.deepEqual(levels(findings), []);
    const text = findings.map((f) => f.text).join('\n');
    assert.match(text, /containerd 1\.6\.20 \(/);
    assert.match(text, /runc 1\.1\.5 \(/);
    assert.match(text, /cgroups v1 with cpu, memory, pids/);
    assert.match(text, /kubectl v1\.32\.4/);
  });

  it('runChecks names the package to install when runc is missing', (t) => {
    const env = machine(t, {}, ['runc']);
    assert.deepEqual(levels(runChecks(env)), ['fail: runc not found: install it with "apt-get install runc"']);
  });

  it('runChecks names the CNI package when a plugin is missing, and warns about portmap', (t) => {
    const env = machine(t, {}, ['bridge', 'portmap']);
    assert.deepEqual(levels(runChecks(env)), [
      `fail: ${env.cniBinDir}/bridge not found: install it with "apt-get install containernetworking-plugins"`,
      `warn: ${env.cniBinDir}/portmap not found: hostPort will not work; install it with "apt-get install containernetworking-plugins"`,
    ]);
  });

  it('runChecks warns when br_netfilter is not loaded, since pods then cannot reach pods through a ClusterIP', (t) => {
    const base = machine(t);
    const env = { ...base, readFile: (p: string) => (p === '/proc/sys/net/bridge/bridge-nf-call-iptables' ? undefined : base.readFile(p)) };
    assert.deepEqual(levels(runChecks(env)), [
      'warn: br_netfilter is not loaded: a pod cannot reach another pod through a ClusterIP (modprobe br_netfilter; in a container, load it on the host)',
    ]);
  });

  it('runChecks says to use sudo when not root', (t) => {
    assert.deepEqual(levels(runChecks(machine(t, { uid: 1000 }))), [
      'fail: running as uid 1000: berth must run as root (containerd and runc need it): run it with "sudo"',
    ]);
  });

  it('runChecks fails on an old Node.js and says how to get Node 24', (t) => {
    assert.match(levels(runChecks(machine(t, { nodeVersion: 'v20.20.2' })))[0], /^fail: Node\.js v20\.20\.2 is too old: .*"npm run setup"/);
  });

  it('runChecks fails without CAP_SYS_ADMIN', (t) => {
    const base = machine(t);
    const env = { ...base, readFile: (p: string) => (p === '/proc/self/status' ? 'CapEff:\t0000000000001000\n' : base.readFile(p)) };
    assert.match(levels(runChecks(env))[0], /^fail: root lacks CAP_SYS_ADMIN .*--privileged/);
  });

  it('runChecks fails when cgroups are not mounted, or v2 lacks the memory controller', (t) => {
    const base = machine(t);
    const none = { ...base, readFile: (p: string) => (p === '/proc/self/mountinfo' ? '' : base.readFile(p)) };
    assert.match(levels(runChecks(none))[0], /^fail: no cgroups mounted at \/sys\/fs\/cgroup/);
    const v2 = {
      ...base,
      readFile: (p: string) =>
        p === '/proc/self/mountinfo' ? '30 23 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw' : p === '/sys/fs/cgroup/cgroup.controllers' ? 'cpuset cpu io pids\n' : base.readFile(p),
    };
    assert.deepEqual(levels(runChecks(v2)), ['fail: cgroups v2 without the memory controller: enable it (add "+memory" to /sys/fs/cgroup/cgroup.subtree_control)']);
  });

  it('runChecks warns about a busy port, little disk space, no overlayfs and a missing kubectl', (t) => {
    const base = machine(t, { portState: { state: 'busy' }, freeBytes: () => 2 * 1024 ** 3 }, ['kubectl']);
    const env = { ...base, readFile: (p: string) => (p === '/proc/filesystems' ? 'nodev\ttmpfs\n' : base.readFile(p)) };
    const found = levels(runChecks(env));
    assert.equal(found.length, 4);
    assert.ok(found.every((f) => f.startsWith('warn: ')), found.join('\n'));
    assert.match(found.join('\n'), /port 6443 on 127\.0\.0\.1 is in use by another program: start berth with "berth serve --port N"/);
    assert.match(found.join('\n'), /2\.0 GiB free for \/var\/lib\/berth/);
    assert.match(found.join('\n'), /modprobe overlay/);
    assert.match(found.join('\n'), /kubectl not found on PATH/);
  });

  it('runChecks warns about a kubectl outside the version skew of the 1.33 API', (t) => {
    const base = machine(t);
    const env = { ...base, run: (cmd: string, args: string[]) => (cmd.endsWith('kubectl') ? '{"clientVersion":{"gitVersion":"v1.29.3"}}' : base.run(cmd, args)) };
    assert.deepEqual(levels(runChecks(env)), [
      `warn: kubectl v1.29.3 (${base.userPath}/kubectl): berth serves the Kubernetes 1.33 API and kubectl's version-skew policy asks for kubectl 1.32 to 1.34; install one of those`,
    ]);
  });

  it('runChecks fails below 1 GiB of free disk', (t) => {
    assert.match(levels(runChecks(machine(t, { freeBytes: () => 300 * 1024 ** 2 })))[0], /^fail: only 0\.3 GiB free for \/var\/lib\/berth: .*--data-dir/);
  });

  it('runChecks accepts a port served by this data directory\'s berth', (t) => {
    const findings = runChecks(machine(t, { portState: { state: 'berth', pid: 42 }, servePid: 42 }));
    assert.deepEqual(levels(findings), []);
    assert.match(findings.map((f) => f.text).join('\n'), /port 6443 on 127\.0\.0\.1 is served by berth \(pid 42\)/);
  });
});
