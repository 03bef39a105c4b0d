import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Pod, Secret, Volume } from '../../api/api.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import { ContainerConfigError } from '../container/start-failure.ts';
import type { Mounter } from './mount-table.ts';
import { VolumeManager, VolumesNotReadyError } from './volumes.ts';

/** Records mounts instead of making them. */
class FakeMounter implements Mounter {
  mounts = new Map<string, string>();
  async mountTmpfs(dir: string, size?: bigint) {
    this.mounts.set(dir, `tmpfs size=${size}`);
  }
  async bind(source: string, target: string) {
    this.mounts.set(target, `bind ${source}`);
  }
  async unmount(target: string) {
    this.mounts.delete(target);
  }
  async mountPointsUnder(dir: string) {
    return [...this.mounts.keys()].filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
  }
}

interface Fixture {
  root: string;
  vm: VolumeManager;
  mounter: FakeMounter;
  clock: FakeClock;
  configMaps: Map<string, ConfigMap>;
  secrets: Map<string, Secret>;
  events: string[];
  emit: (type: string, reason: string, message: string) => void;
}

async function fixture(t: { after(fn: () => Promise<void>): void }): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'berth-vol-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const mounter = new FakeMounter();
  const clock = new FakeClock(Date.UTC(2024, 0, 1));
  const vm = new VolumeManager({
    podsRoot: join(root, 'pods'),
    config: { getConfigMap: (ns, n) => configMaps.get(`${ns}/${n}`), getSecret: (ns, n) => secrets.get(`${ns}/${n}`) },
    nodeAllocatable: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '0' },
    clock,
    mounter,
  });
  const events: string[] = [];
  return { root, vm, mounter, clock, configMaps, secrets, events, emit: (type, reason, message) => events.push(`${type} ${reason} ${message}`) };
}

function podWith(volumes: Volume[], uid = 'uid-1'): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid, labels: { app: 'demo' } },
    spec: { containers: [{ name: 'app', image: 'busybox:1.35', resources: { limits: { memory: '256Mi' } } }], volumes },
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('VolumeManager sets up a disk emptyDir as a 0777 directory under the kubelet plugin path', async (t) => {
  const f = await fixture(t);
  const vols = await f.vm.setUp(podWith([{ name: 'scratch', emptyDir: {} }]), f.emit);
  const dir = join(f.root, 'pods/uid-1/volumes/kubernetes.io~empty-dir/scratch');
  assert.deepEqual(vols.get('scratch'), { hostPath: dir, readOnly: false });
  assert.equal((await stat(dir)).mode & 0o777, 0o777);
  assert.equal(f.mounter.mounts.size, 0);
});

test('VolumeManager mounts a memory emptyDir as a tmpfs sized by sizeLimit, capped by the pod memory limit', async (t) => {
  const f = await fixture(t);
  await f.vm.setUp(podWith([{ name: 'small', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'big', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }]), f.emit);
  const base = join(f.root, 'pods/uid-1/volumes/kubernetes.io~empty-dir');
  assert.equal(f.mounter.mounts.get(join(base, 'small')), `tmpfs size=${16 * 1024 * 1024}`);
  assert.equal(f.mounter.mounts.get(join(base, 'big')), `tmpfs size=${256 * 1024 * 1024}`);
});

test('VolumeManager projects a configMap read-only and refreshes it with a new ..data version when it changes', async (t) => {
  const f = await fixture(t);
  f.configMaps.set('default/cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v1' } });
  const pod = podWith([{ name: 'conf', configMap: { name: 'cfg', defaultMode: 0o644 } }]);
  const vols = await f.vm.setUp(pod, f.emit);
  const dir = vols.get('conf')!.hostPath;
  assert.equal(vols.get('conf')!.readOnly, true);
  assert.match(dir, /kubernetes\.io~configmap\/conf$/);
  assert.equal(await readFile(join(dir, 'app.conf'), 'utf8'), 'v1');
  const v1 = await readlink(join(dir, '..data'));
  f.configMaps.set('default/cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v2' } });
  await f.vm.setUp(pod, f.emit);
  assert.equal(await readFile(join(dir, 'app.conf'), 'utf8'), 'v2');
  assert.notEqual(await readlink(join(dir, '..data')), v1);
  assert.deepEqual(f.events, []);
});

test('VolumeManager does not project a payload equal to the one it last wrote, and projects it again after tearDown', async (t) => {
  const f = await fixture(t);
  f.configMaps.set('default/cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v1' } });
  const pod = podWith([{ name: 'conf', configMap: { name: 'cfg' } }]);
  const dir = (await f.vm.setUp(pod, f.emit)).get('conf')!.hostPath;
  const version = await readlink(join(dir, '..data'));
  // berth is the only writer: a sync with the same payload touches no file.
  await rm(join(dir, version, 'app.conf'));
  await f.vm.setUp(pod, f.emit);
  await assert.rejects(readFile(join(dir, 'app.conf'), 'utf8'), /ENOENT/);
  assert.equal(await readlink(join(dir, '..data')), version);
  await f.vm.tearDown('uid-1');
  await f.vm.setUp(pod, f.emit);
  assert.equal(await readFile(join(dir, 'app.conf'), 'utf8'), 'v1');
});

test('VolumeManager puts a secret volume on its own tmpfs with the items mode', async (t) => {
  const f = await fixture(t);
  f.secrets.set('default/db', { metadata: { name: 'db' }, type: 'Opaque', data: { password: b64('hunter2') } });
  const vols = await f.vm.setUp(podWith([{ name: 'creds', secret: { secretName: 'db', items: [{ key: 'password', path: 'pw', mode: 0o400 }] } }]), f.emit);
  const dir = vols.get('creds')!.hostPath;
  assert.ok(f.mounter.mounts.has(dir), 'secret directory is a tmpfs');
  assert.equal(await readFile(join(dir, 'pw'), 'utf8'), 'hunter2');
  assert.equal((await stat(join(dir, 'pw'))).mode & 0o777, 0o400);
});

test('VolumeManager emits FailedMount with the kubelet text for a missing configMap and retries with backoff', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'conf', configMap: { name: 'missing' } }, { name: 'ok', emptyDir: {} }]);
  const first = await f.vm.setUp(pod, f.emit).catch((e) => e);
  assert.ok(first instanceof VolumesNotReadyError);
  assert.deepEqual(first.volumes, ['conf']);
  assert.equal(first.retryAfterMs, 500);
  assert.deepEqual(f.events, ['Warning FailedMount MountVolume.SetUp failed for volume "conf" : configmap "missing" not found']);
  // Within the window: no new attempt, no new event.
  f.clock.step(499);
  const second = await f.vm.setUp(pod, f.emit).catch((e) => e);
  assert.equal(second.retryAfterMs, 1);
  assert.equal(f.events.length, 1);
  // After it: a new attempt, and the window doubles.
  f.clock.step(1);
  const third = await f.vm.setUp(pod, f.emit).catch((e) => e);
  assert.equal(third.retryAfterMs, 1000);
  assert.equal(f.events.length, 2);
  // The configMap appears: the next attempt after the window succeeds.
  f.configMaps.set('default/missing', { metadata: { name: 'missing' }, data: { k: 'v' } });
  f.clock.step(1000);
  const vols = await f.vm.setUp(pod, f.emit);
  assert.deepEqual([...vols.keys()], ['conf', 'ok']);
});

test('VolumeManager accepts an optional missing configMap or secret as an empty volume', async (t) => {
  const f = await fixture(t);
  const vols = await f.vm.setUp(
    podWith([
      { name: 'c', configMap: { name: 'nope', optional: true } },
      { name: 's', secret: { secretName: 'nope', optional: true } },
    ]),
    f.emit,
  );
  assert.equal(vols.size, 2);
  assert.equal(await readlink(join(vols.get('c')!.hostPath, '..data')).then((v) => v.startsWith('..')), true);
  assert.deepEqual(f.events, []);
});

test('VolumeManager keeps serving the last content when a refresh fails after a successful set-up', async (t) => {
  const f = await fixture(t);
  f.secrets.set('default/db', { metadata: { name: 'db' }, data: { a: b64('1') } });
  const pod = podWith([{ name: 'creds', secret: { secretName: 'db' } }]);
  await f.vm.setUp(pod, f.emit);
  f.secrets.delete('default/db');
  const vols = await f.vm.setUp(pod, f.emit);
  assert.equal(await readFile(join(vols.get('creds')!.hostPath, 'a'), 'utf8'), '1');
  assert.deepEqual(f.events, ['Warning FailedMount MountVolume.SetUp failed for volume "creds" : secret "db" not found']);
});

test('VolumeManager writes downwardAPI files with the kubelet config annotations', async (t) => {
  const f = await fixture(t);
  const vols = await f.vm.setUp(
    podWith([
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
            { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          ],
        },
      },
    ]),
    f.emit,
  );
  const dir = vols.get('info')!.hostPath;
  assert.equal(await readFile(join(dir, 'labels'), 'utf8'), 'app="demo"');
  assert.equal(
    await readFile(join(dir, 'annotations'), 'utf8'),
    'kubernetes.io/config.seen="2024-01-01T00:00:00Z"\nkubernetes.io/config.source="api"',
  );
  assert.equal(await readFile(join(dir, 'mem'), 'utf8'), '256');
});

test('VolumeManager reports an unsupported projected source and an unsupported volume type', async (t) => {
  const f = await fixture(t);
  await f.vm.setUp(podWith([{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }, { name: 'nfs', nfs: { server: 's', path: '/' } }]), f.emit).catch(() => {});
  assert.deepEqual(f.events, [
    'Warning FailedMount MountVolume.SetUp failed for volume "token" : cannot project a service account token for "default/default": this node requests no service account tokens',
    'Warning FailedMount MountVolume.SetUp failed for volume "nfs" : the nfs volume type is not supported by berth',
  ]);
});

test('VolumeManager checks hostPath types with the kubelet texts and creates DirectoryOrCreate paths', async (t) => {
  const f = await fixture(t);
  const made = join(f.root, 'host/made');
  const file = join(f.root, 'host-file');
  await writeFile(file, 'x');
  const vols = await f.vm.setUp(podWith([{ name: 'd', hostPath: { path: made, type: 'DirectoryOrCreate' } }]), f.emit);
  assert.deepEqual(vols.get('d'), { hostPath: made, readOnly: false });
  assert.ok((await stat(made)).isDirectory());
  await f.vm.setUp(podWith([{ name: 'x', hostPath: { path: file, type: 'Directory' } }], 'uid-2'), f.emit).catch(() => {});
  await f.vm.setUp(podWith([{ name: 'y', hostPath: { path: made, type: 'Socket' } }], 'uid-3'), f.emit).catch(() => {});
  await f.vm.setUp(podWith([{ name: 'z', hostPath: { path: join(f.root, 'no/parent'), type: 'FileOrCreate' } }], 'uid-4'), f.emit).catch(() => {});
  assert.deepEqual(f.events, [
    `Warning FailedMount MountVolume.SetUp failed for volume "x" : hostPath type check failed: ${file} is not a directory`,
    `Warning FailedMount MountVolume.SetUp failed for volume "y" : hostPath type check failed: ${made} is not a socket file`,
    `Warning FailedMount MountVolume.SetUp failed for volume "z" : open ${join(f.root, 'no/parent')}: no such file or directory`,
  ]);
});

test('VolumeManager.containerMounts creates a missing subPath and bind-mounts it from an open file descriptor', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'data', emptyDir: {} }]);
  const vols = await f.vm.setUp(pod, f.emit);
  const c = { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'a/b' }, { name: 'data', mountPath: '/all', readOnly: true }] };
  const mounts = await f.vm.containerMounts(pod, c, vols, []);
  const target = join(f.root, 'pods/uid-1/volume-subpaths/data/app/0');
  assert.deepEqual(mounts[0], { containerPath: '/data', hostPath: target, readonly: false, propagation: 'PROPAGATION_PRIVATE' });
  assert.deepEqual(mounts[1], { containerPath: '/all', hostPath: vols.get('data')!.hostPath, readonly: true, propagation: 'PROPAGATION_PRIVATE' });
  assert.ok((await stat(join(vols.get('data')!.hostPath, 'a/b'))).isDirectory());
  assert.match(f.mounter.mounts.get(target)!, /^bind \/proc\/\d+\/fd\/\d+$/);
});

test('VolumeManager.containerMounts refuses a subPath that a symlink in the volume points outside it', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'data', emptyDir: {} }]);
  const vols = await f.vm.setUp(pod, f.emit);
  const outside = join(f.root, 'outside');
  await mkdir(outside);
  await symlink(outside, join(vols.get('data')!.hostPath, 'escape'));
  for (const subPath of ['escape', 'escape/new-dir']) {
    await assert.rejects(
      f.vm.containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/x', subPath }] }, vols, []),
      (err: Error) => err instanceof ContainerConfigError && err.message === 'failed to prepare subPath for volumeMount "data" of container "app"',
    );
  }
  await assert.rejects(lstat(join(outside, 'new-dir')), /ENOENT/);
  assert.equal(f.mounter.mounts.size, 0);
});

test('VolumeManager.containerMounts expands subPathExpr with the container environment', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'data', emptyDir: {} }]);
  const vols = await f.vm.setUp(pod, f.emit);
  await f.vm.containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/x', subPathExpr: 'logs/$(POD)' }] }, vols, [{ key: 'POD', value: 'p' }]);
  assert.ok((await stat(join(vols.get('data')!.hostPath, 'logs/p'))).isDirectory());
  await assert.rejects(
    f.vm.containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/x', subPathExpr: '$(UP)/x' }] }, vols, [{ key: 'UP', value: '..' }]),
    /unable to provision SubPath `\.\.\/x`: must not contain '\.\.'/,
  );
});

test('VolumeManager.tearDown unmounts everything under the pod directory before removing it', async (t) => {
  const f = await fixture(t);
  f.secrets.set('default/db', { metadata: { name: 'db' }, data: { a: b64('1') } });
  const pod = podWith([{ name: 'creds', secret: { secretName: 'db' } }, { name: 'mem', emptyDir: { medium: 'Memory' } }]);
  await f.vm.setUp(pod, f.emit);
  assert.equal(f.mounter.mounts.size, 2);
  assert.deepEqual(await f.vm.podUids(), ['uid-1']);
  await f.vm.tearDown('uid-1');
  assert.equal(f.mounter.mounts.size, 0);
  await assert.rejects(lstat(join(f.root, 'pods/uid-1')), /ENOENT/);
  assert.deepEqual(await f.vm.podUids(), []);
});

test('VolumeManager.releaseVolumes unmounts and removes the volumes but keeps termination-message files', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'mem', emptyDir: { medium: 'Memory' } }, { name: 'data', emptyDir: {} }]);
  const vols = await f.vm.setUp(pod, f.emit);
  await f.vm.containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/d', subPath: 'x' }] }, vols, []);
  const msg = await f.vm.terminationMessageFile('uid-1', 'app', 'abcd');
  assert.equal(f.mounter.mounts.size, 2);
  await f.vm.releaseVolumes('uid-1');
  assert.equal(f.mounter.mounts.size, 0);
  await assert.rejects(lstat(join(f.root, 'pods/uid-1/volumes')), /ENOENT/);
  await assert.rejects(lstat(join(f.root, 'pods/uid-1/volume-subpaths')), /ENOENT/);
  assert.ok((await stat(msg)).isFile());
});

test('VolumeManager.tearDown leaves the directory alone when a mount cannot be removed', async (t) => {
  const f = await fixture(t);
  await f.vm.setUp(podWith([{ name: 'mem', emptyDir: { medium: 'Memory' } }]), f.emit);
  f.mounter.unmount = async () => {};
  await assert.rejects(f.vm.tearDown('uid-1'), /cannot remove .*: still mounted: /);
  assert.ok((await stat(join(f.root, 'pods/uid-1'))).isDirectory());
});

test('VolumeManager mounts a real tmpfs and tearDown unmounts it', { skip: process.getuid?.() !== 0 && 'needs root' }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'berth-vol-real-'));
  const vm = new VolumeManager({
    podsRoot: join(root, 'pods'),
    config: { getConfigMap: () => undefined, getSecret: () => undefined },
    nodeAllocatable: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '0' },
  });
  t.after(async () => {
    await vm.tearDown('uid-r').catch(() => {});
    await rm(root, { recursive: true, force: true });
  });
  const vols = await vm.setUp(podWith([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }], 'uid-r'), () => {});
  const dir = vols.get('mem')!.hostPath;
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  assert.match(mountinfo, new RegExp(`${dir.replace(/[.~]/g, '\\$&')} \\S+ - tmpfs tmpfs \\S*size=1024k`));
  await vm.tearDown('uid-r');
  assert.doesNotMatch(await readFile('/proc/self/mountinfo', 'utf8'), new RegExp(root));
  await assert.rejects(lstat(dir), /ENOENT/);
});
