import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Pod, Volume } from '../../api/api.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import type { Mounter } from './mount-table.ts';
import { VolumeManager, VolumesNotReadyError } from './volumes.ts';

const noMounts: Mounter = {
  mountTmpfs: async () => {},
  bind: async () => {},
  unmount: async () => {},
  mountPointsUnder: async () => [],
};

async function fixture(t: { after(fn: () => Promise<void>): void }) {
  const root = await mkdtemp(join(tmpdir(), 'berth-pvc-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const claims = new Map<string, PersistentVolumeClaim>();
  const volumes = new Map<string, PersistentVolume>();
  const clock = new FakeClock(Date.UTC(2024, 0, 1));
  const vm = new VolumeManager({
    podsRoot: join(root, 'pods'),
    config: {
      getConfigMap: () => undefined,
      getSecret: () => undefined,
      getPersistentVolumeClaim: (ns, n) => claims.get(`${ns}/${n}`),
      getPersistentVolume: (n) => volumes.get(n),
    },
    nodeAllocatable: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '0' },
    clock,
    mounter: noMounts,
  });
  /** Sets the pod's volumes up now and again after WaitForAttachAndMount's timeout: what a waiting pod reports. */
  const setUpAfterTimeout = async (pod: Pod) => {
    await assert.rejects(vm.setUp(pod, emit), VolumesNotReadyError);
    assert.deepEqual(events, [], 'no event before the timeout');
    clock.step(123_000);
    await assert.rejects(vm.setUp(pod, emit), VolumesNotReadyError);
  };
  const events: string[] = [];
  const emit = (type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`);
  return { root, vm, claims, volumes, events, setUpAfterTimeout, clock, emit };
}

function podWith(volumes: Volume[]): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'pod-uid' },
    spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], volumes },
  };
}

function boundClaim(name: string, pvName: string, owner?: string): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: owner ? [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: owner, controller: true }] : undefined },
    spec: { volumeName: pvName },
    status: { phase: 'Bound' },
  };
}

test('a persistentVolumeClaim volume waits for a missing claim, polling each second, with FailedMount after 2m3s', async (t) => {
  const f = await fixture(t);
  const pod = podWith([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]);
  await assert.rejects(f.vm.setUp(pod, f.emit), (err: VolumesNotReadyError) => err.retryAfterMs === 1000);
  f.clock.step(122_999);
  await assert.rejects(f.vm.setUp(pod, f.emit), VolumesNotReadyError);
  assert.deepEqual(f.events, []);
  f.clock.step(1);
  await assert.rejects(f.vm.setUp(pod, f.emit), VolumesNotReadyError);
  assert.deepEqual(f.events, [
    'Warning FailedMount Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[data]: error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
  ]);
});

test('a claim that is Pending keeps the pod waiting with the populator text', async (t) => {
  const f = await fixture(t);
  f.claims.set('default/data', { metadata: { name: 'data', namespace: 'default', uid: 'u' }, spec: {}, status: { phase: 'Pending' } });
  await f.setUpAfterTimeout(podWith([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]));
  assert.match(f.events[0]!, /error processing PVC default\/data: PVC default\/data has non-bound phase \("Pending"\) or empty pvc.Spec.VolumeName \(""\)$/);
});

test('a bound claim mounts its hostPath volume, creating a DirectoryOrCreate directory, read-only when asked', async (t) => {
  const f = await fixture(t);
  const dir = join(f.root, 'storage', 'pvc-1_default_data');
  f.claims.set('default/data', boundClaim('data', 'pvc-1'));
  f.volumes.set('pvc-1', { metadata: { name: 'pvc-1' }, spec: { hostPath: { path: dir, type: 'DirectoryOrCreate' }, claimRef: { uid: 'uid-data' } } });
  const mounts = await f.vm.setUp(podWith([{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }]), f.emit);
  assert.deepEqual(mounts.get('data'), { hostPath: dir, readOnly: true });
  assert.ok((await stat(dir)).isDirectory());
  assert.deepEqual(f.events, []);
});

test('a bound claim whose volume is claimed by another claim UID is refused', async (t) => {
  const f = await fixture(t);
  f.claims.set('default/data', boundClaim('data', 'pvc-1'));
  f.volumes.set('pvc-1', { metadata: { name: 'pvc-1' }, spec: { hostPath: { path: f.root }, claimRef: { uid: 'someone-else' } } });
  await f.setUpAfterTimeout(podWith([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]));
  assert.match(f.events[0]!, /found PV object "pvc-1" but it has invalid ClaimRef UID: "someone-else" != "uid-data"$/);
});

test('an ephemeral volume uses the claim <pod>-<volume> only when the pod owns it; a local volume gets the fsGroup', async (t) => {
  const f = await fixture(t);
  const dir = join(f.root, 'local');
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  await writeFile(join(dir, 'f'), 'x');
  f.volumes.set('pv-local', { metadata: { name: 'pv-local' }, spec: { local: { path: dir }, claimRef: { uid: 'uid-p-scratch' } } });
  const pod = podWith([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }]);
  f.claims.set('default/p-scratch', boundClaim('p-scratch', 'pv-local', 'another-pod'));
  await f.setUpAfterTimeout(pod);
  assert.match(f.events[0]!, /error processing PVC default\/p-scratch: PVC default\/p-scratch was not created for the pod$/);

  const f2 = await fixture(t);
  f2.volumes.set('pv-local', f.volumes.get('pv-local')!);
  f2.claims.set('default/p-scratch', boundClaim('p-scratch', 'pv-local', 'pod-uid'));
  const gid = process.getgid?.() ?? 0;
  const owned = { ...pod, spec: { ...pod.spec!, securityContext: { fsGroup: gid } } };
  const mounts = await f2.vm.setUp(owned, f2.emit);
  assert.deepEqual(mounts.get('scratch'), { hostPath: dir, readOnly: false });
  assert.equal((await stat(join(dir, 'f'))).mode & 0o060, 0o060, 'group read-write from fsGroup');
  assert.equal((await stat(dir)).mode & 0o2000, 0o2000, 'setgid on the directory');
});
