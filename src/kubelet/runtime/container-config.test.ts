import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/api.ts';
import { podQosClass } from '../../api/defaults/defaults.ts';
import { containerConfig, linuxResources, milliCpuToQuota, milliCpuToShares, oomScoreAdj, seccompProfile, verifyRunAsNonRoot } from './container-config.ts';

const GiB = 1024 ** 3;

function pod(containers: Container[], extra: Partial<Pod['spec']> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers, ...extra } };
}

test('milliCpuToShares and milliCpuToQuota follow the kubelet conversions', () => {
  assert.equal(milliCpuToShares(0n), 2);
  assert.equal(milliCpuToShares(1n), 2);
  assert.equal(milliCpuToShares(250n), 256);
  assert.equal(milliCpuToShares(1000n), 1024);
  assert.equal(milliCpuToShares(1_000_000n), 262_144);
  assert.equal(milliCpuToQuota(0n), 0);
  assert.equal(milliCpuToQuota(5n), 1000);
  assert.equal(milliCpuToQuota(500n), 50_000);
  assert.equal(milliCpuToQuota(2000n), 200_000);
});

test('linuxResources turns requests and limits into shares, CFS quota and the memory limit', () => {
  const c: Container = { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } };
  const p = pod([c]);
  assert.deepEqual(linuxResources(p, c, podQosClass(p), 8 * GiB, false), {
    cpuShares: 256,
    cpuPeriod: 100_000,
    cpuQuota: 50_000,
    memoryLimitInBytes: 128 * 1024 * 1024,
    oomScoreAdj: 1000 - Math.floor((1000 * 64) / (8 * 1024)),
  });
});

test('linuxResources takes shares from the cpu limit when no request is given, and sets no memory limit without one', () => {
  const c: Container = { name: 'a', resources: { limits: { cpu: '1' } } };
  const r = linuxResources(pod([c]), c, 'Burstable', 8 * GiB, false);
  assert.equal(r.cpuShares, 1024);
  assert.equal(r.cpuQuota, 100_000);
  assert.equal(r.memoryLimitInBytes, undefined);
  const none: Container = { name: 'b' };
  assert.deepEqual(linuxResources(pod([none]), none, 'BestEffort', 8 * GiB, false), { cpuShares: 2, cpuPeriod: 100_000, cpuQuota: 0, oomScoreAdj: 1000 });
});

test('oomScoreAdj is -997 for Guaranteed, 1000 for BestEffort and scaled for Burstable, sidecars no higher than app containers', () => {
  const app: Container = { name: 'app', resources: { requests: { memory: '4Gi' } } };
  const side: Container = { name: 'side', restartPolicy: 'Always' };
  const p = pod([app], { initContainers: [side] });
  assert.equal(oomScoreAdj(p, app, 'Guaranteed', 8 * GiB, false), -997);
  assert.equal(oomScoreAdj(p, app, 'BestEffort', 8 * GiB, false), 1000);
  assert.equal(oomScoreAdj(p, app, 'Burstable', 8 * GiB, false), 500);
  assert.equal(oomScoreAdj(p, side, 'Burstable', 8 * GiB, false), 999);
  assert.equal(oomScoreAdj(p, side, 'Burstable', 8 * GiB, true), 500);
  // A request larger than the node still leaves Burstable above Guaranteed.
  assert.equal(oomScoreAdj(p, { name: 'x', resources: { requests: { memory: '16Gi' } } }, 'Burstable', 8 * GiB, false), 4);
});

test('verifyRunAsNonRoot refuses root by runAsUser or by the image with the kubelet texts', () => {
  const p = pod([], { securityContext: { runAsNonRoot: true } });
  const c: Container = { name: 'app' };
  assert.throws(() => verifyRunAsNonRoot(p, c, { uid: 0 }), /^ContainerConfigError: container has runAsNonRoot and image will run as root \(pod: "p_ns\(u1\)", container: app\)$/);
  assert.throws(() => verifyRunAsNonRoot(p, c, undefined), /image will run as root/);
  assert.throws(() => verifyRunAsNonRoot(p, c, { username: 'nobody' }), /image has non-numeric user \(nobody\), cannot verify user is non-root/);
  assert.throws(() => verifyRunAsNonRoot(p, { name: 'app', securityContext: { runAsUser: 0 } }, { uid: 1000 }), /container's runAsUser breaks non-root policy/);
  verifyRunAsNonRoot(p, c, { uid: 1000 });
  verifyRunAsNonRoot(p, { name: 'app', securityContext: { runAsUser: 1000 } }, { uid: 0 });
  verifyRunAsNonRoot(pod([]), c, { uid: 0 });
});

test('containerConfig mounts the resolved volumes, /etc/hosts and the termination log, and adds fsGroup to the groups', () => {
  const c: Container = { name: 'app', image: 'busybox', command: ['sh'], securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } };
  const p = pod([c], { securityContext: { fsGroup: 2000, supplementalGroups: [10], runAsUser: 1000 } });
  const cfg = containerConfig({
    pod: p,
    container: c,
    kind: 'regular',
    restartCount: 0,
    image: 'sha256:abc',
    envs: [],
    volumeMounts: [{ containerPath: '/data', hostPath: '/v/data', readonly: true }],
    hostsFile: '/pod/etc-hosts',
    terminationMessageHostPath: '/pod/containers/app/x',
    qosClass: 'BestEffort',
  });
  assert.deepEqual(
    cfg.mounts!.map((m) => `${m.containerPath}=${m.hostPath}${m.readonly ? ' ro' : ''}`),
    ['/data=/v/data ro', '/etc/hosts=/pod/etc-hosts', '/dev/termination-log=/pod/containers/app/x'],
  );
  const sc = cfg.linux!.securityContext!;
  assert.deepEqual(sc.supplementalGroups, [10, 2000]);
  assert.equal(sc.runAsUser, 1000);
  assert.equal(sc.noNewPrivs, true);
  assert.equal(sc.readonlyRootfs, true);
  assert.ok(sc.maskedPaths!.includes('/proc/kcore'));
});

test('seccompProfile takes the container profile over the pod one and defaults to Unconfined', () => {
  const p = pod([], { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
  assert.deepEqual(seccompProfile(p, { name: 'a' }), { profileType: 'RuntimeDefault' });
  assert.deepEqual(seccompProfile(p, { name: 'a', securityContext: { seccompProfile: { type: 'Unconfined' } } }), { profileType: 'Unconfined' });
  assert.deepEqual(seccompProfile(pod([]), { name: 'a' }), { profileType: 'Unconfined' });
  assert.deepEqual(seccompProfile(pod([]), { name: 'a', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } } }), {
    profileType: 'Localhost',
    localhostRef: '/var/lib/kubelet/seccomp/profiles/audit.json',
  });
});
