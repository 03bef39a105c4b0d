import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { controllerFixture, fixtureNodeName, type ControllerFixture } from '../controller-fixture.ts';
import { localPathProvisioner } from '../local-path/local-path.ts';
import { pvProtectionController } from '../pv-protection/pv-protection.ts';
import { pvcProtectionController } from '../pvc-protection/pvc-protection.ts';
import { ephemeralVolumeController } from '../ephemeral-volume/ephemeral-volume.ts';
import { persistentVolumeController } from './persistentvolume.ts';

function storageRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-pv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function volume(name: string, spec: Partial<NonNullable<PersistentVolume['spec']>>, labels?: Record<string, string>): PersistentVolume {
  return {
    metadata: { name, labels },
    spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: `/tmp/${name}` }, storageClassName: 'manual', ...spec },
  };
}

function claim(name: string, spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim {
  return { metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', ...spec } };
}

function pod(name: string, claimName: string, nodeName?: string): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox:1.35' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

/** Lets the controllers' real file-system work (the provisioner's mkdir and rm) finish. */
async function settleIO(f: ControllerFixture): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await f.clock.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pvs = (f: ControllerFixture) => f.client.resource('persistentvolumes');
const pvcs = (f: ControllerFixture) => f.client.resource('persistentvolumeclaims');
const getPvc = (f: ControllerFixture, name: string) => pvcs(f).get('default', name)!;
const getPv = (f: ControllerFixture, name: string) => pvs(f).get(undefined, name)!;
/** The claim's events in the order they were recorded (by resourceVersion: names do not sort by time). */
const eventsFor = (f: ControllerFixture, name: string) =>
  f.registry.events
    .list('default')
    .items.filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason}: ${e.message}`);

test('persistentvolume binds a claim to the smallest volume that fits, with the binding annotations', async (t) => {
  const f = controllerFixture(t);
  pvs(f).create(undefined, volume('big', { capacity: { storage: '10Gi' } }));
  pvs(f).create(undefined, volume('small', { capacity: { storage: '2Gi' } }));
  pvs(f).create(undefined, volume('tiny', { capacity: { storage: '500Mi' } }));
  pvs(f).create(undefined, volume('rox', { capacity: { storage: '1Gi' }, accessModes: ['ReadOnlyMany'] }));
  pvs(f).create(undefined, volume('other-class', { capacity: { storage: '1Gi' }, storageClassName: 'fast' }));
  pvcs(f).create('default', claim('data'));
  await f.run([persistentVolumeController]);
  const c = getPvc(f, 'data');
  assert.equal(c.spec?.volumeName, 'small');
  assert.equal(c.status?.phase, 'Bound');
  assert.deepEqual(c.status?.capacity, { storage: '2Gi' });
  assert.deepEqual(c.status?.accessModes, ['ReadWriteOnce']);
  assert.equal(c.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(c.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  const v = getPv(f, 'small');
  assert.equal(v.status?.phase, 'Bound');
  assert.equal(v.spec?.claimRef?.name, 'data');
  assert.equal(v.spec?.claimRef?.uid, c.metadata?.uid);
  assert.equal(v.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  for (const n of ['big', 'tiny', 'rox', 'other-class']) assert.equal(getPv(f, n).status?.phase, 'Available', n);
});

test('persistentvolume honours selectors, claimRef pre-binding and volumeName', async (t) => {
  const f = controllerFixture(t);
  pvs(f).create(undefined, volume('plain', {}));
  pvs(f).create(undefined, volume('labelled', {}, { tier: 'gold' }));
  pvs(f).create(undefined, volume('reserved', { claimRef: { namespace: 'default', name: 'mine' } }));
  pvs(f).create(undefined, volume('named', {}));
  pvcs(f).create('default', claim('gold', { selector: { matchLabels: { tier: 'gold' } } }));
  pvcs(f).create('default', claim('mine'));
  pvcs(f).create('default', claim('by-name', { volumeName: 'named' }));
  pvcs(f).create('default', claim('none', { storageClassName: '' }));
  await f.run([persistentVolumeController]);
  assert.equal(getPvc(f, 'gold').spec?.volumeName, 'labelled');
  assert.equal(getPvc(f, 'mine').spec?.volumeName, 'reserved');
  assert.equal(getPvc(f, 'by-name').spec?.volumeName, 'named');
  assert.equal(getPvc(f, 'by-name').metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'the user chose the volume');
  assert.equal(getPvc(f, 'none').status?.phase, 'Pending');
  assert.deepEqual(eventsFor(f, 'none'), ['FailedBinding: no persistent volumes available for this claim and no storage class is set']);
  assert.equal(getPv(f, 'plain').status?.phase, 'Available');
});

test('a claim of the WaitForFirstConsumer class stays Pending until a scheduled pod uses it, then is provisioned and bound', async (t) => {
  const f = controllerFixture(t);
  const root = storageRoot(t);
  pvcs(f).create('default', claim('data', { storageClassName: undefined }));
  await f.run([persistentVolumeController, localPathProvisioner({ storageRoot: root })]);
  await settleIO(f);
  assert.equal(getPvc(f, 'data').status?.phase, 'Pending');
  assert.equal(getPvc(f, 'data').spec?.storageClassName, 'standard');
  assert.deepEqual(eventsFor(f, 'data'), ['WaitForFirstConsumer: waiting for first consumer to be created before binding']);
  f.registry.pods.create('default', pod('user', 'data'));
  await f.clock.settle();
  assert.equal(getPvc(f, 'data').status?.phase, 'Pending', 'an unscheduled pod does not choose the node');
  f.client.pods.bind('default', 'user', fixtureNodeName);
  await settleIO(f);
  const c = getPvc(f, 'data');
  assert.equal(c.status?.phase, 'Bound');
  assert.equal(c.metadata?.annotations?.['volume.kubernetes.io/selected-node'], fixtureNodeName);
  assert.equal(c.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
  assert.equal(c.metadata?.annotations?.['volume.beta.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
  const pvName = `pvc-${c.metadata?.uid}`;
  assert.equal(c.spec?.volumeName, pvName);
  const v = getPv(f, pvName);
  const dir = join(root, `${pvName}_default_data`);
  assert.deepEqual(v.spec?.hostPath, { path: dir, type: 'DirectoryOrCreate' });
  assert.equal(v.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.equal(v.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
  assert.deepEqual(v.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, [fixtureNodeName]);
  assert.ok(existsSync(dir));
  assert.deepEqual(f.logs, []);
  // The binder's ExternalProvisioning and the provisioner's Provisioning come from two controllers, in either order.
  const reasons = eventsFor(f, 'data').map((e) => e.split(':')[0]);
  assert.equal(reasons[0], 'WaitForFirstConsumer');
  assert.equal(reasons.at(-1), 'ProvisioningSucceeded');
  assert.deepEqual(reasons.slice(1, -1).sort(), ['ExternalProvisioning', 'Provisioning']);
});

test('reclaim Delete removes the directory and the volume once the claim is gone; Retain keeps a Released volume', async (t) => {
  const f = controllerFixture(t);
  const root = storageRoot(t);
  pvs(f).create(undefined, volume('kept', {}));
  pvcs(f).create('default', claim('static'));
  pvcs(f).create('default', claim('dynamic', { storageClassName: 'standard' }));
  f.registry.pods.create('default', pod('user', 'dynamic', fixtureNodeName));
  await f.run([persistentVolumeController, localPathProvisioner({ storageRoot: root }), pvProtectionController, pvcProtectionController]);
  await settleIO(f);
  const dyn = getPvc(f, 'dynamic');
  const pvName = dyn.spec!.volumeName!;
  const dir = join(root, `${pvName}_default_dynamic`);
  writeFileSync(join(dir, 'data.txt'), 'hello');
  assert.equal(getPvc(f, 'static').spec?.volumeName, 'kept');

  pvcs(f).delete('default', 'dynamic');
  await f.clock.settle();
  assert.ok(getPvc(f, 'dynamic').metadata?.deletionTimestamp, 'pvc-protection holds a claim a running pod uses');
  f.registry.pods.delete('default', 'user', { gracePeriodSeconds: 0 });
  await settleIO(f);
  assert.equal(pvcs(f).get('default', 'dynamic'), undefined);
  assert.equal(pvs(f).get(undefined, pvName), undefined, 'the provisioned volume is deleted');
  assert.ok(!existsSync(dir), 'with its directory');

  pvcs(f).delete('default', 'static');
  await f.clock.settle();
  const kept = getPv(f, 'kept');
  assert.equal(kept.status?.phase, 'Released');
  assert.equal(kept.spec?.claimRef?.name, 'static');
});

test('a static volume with reclaim policy Delete fails without a deleter, and a Released one is not bound again', async (t) => {
  const f = controllerFixture(t);
  pvs(f).create(undefined, volume('del', { persistentVolumeReclaimPolicy: 'Delete' }));
  pvcs(f).create('default', claim('a'));
  await f.run([persistentVolumeController, pvcProtectionController]);
  assert.equal(getPvc(f, 'a').spec?.volumeName, 'del');
  pvcs(f).delete('default', 'a');
  await f.clock.settle();
  const v = getPv(f, 'del');
  assert.equal(v.status?.phase, 'Failed');
  assert.equal(v.status?.message, 'error getting deleter volume plugin for volume "del": no deletable volume plugin matched');
  pvcs(f).create('default', claim('b'));
  await f.clock.settle();
  assert.equal(getPvc(f, 'b').status?.phase, 'Pending');
});

test('pv-protection keeps a Bound volume being deleted until it is released', async (t) => {
  const f = controllerFixture(t);
  pvs(f).create(undefined, volume('v', {}));
  pvcs(f).create('default', claim('c'));
  await f.run([persistentVolumeController, pvProtectionController, pvcProtectionController]);
  assert.deepEqual(getPv(f, 'v').metadata?.finalizers, ['kubernetes.io/pv-protection']);
  assert.deepEqual(getPvc(f, 'c').metadata?.finalizers, ['kubernetes.io/pvc-protection']);
  pvs(f).delete(undefined, 'v');
  await f.clock.settle();
  assert.ok(getPv(f, 'v').metadata?.deletionTimestamp);
  pvcs(f).delete('default', 'c');
  await f.clock.settle();
  assert.equal(pvs(f).get(undefined, 'v'), undefined);
});

test('ephemeral-volume creates the claim <pod>-<volume> owned by the pod, and the binder binds it once scheduled', async (t) => {
  const f = controllerFixture(t);
  const root = storageRoot(t);
  f.registry.pods.create('default', {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1.35' }],
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 'b' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }],
    },
  });
  await f.run([ephemeralVolumeController, persistentVolumeController, localPathProvisioner({ storageRoot: root })]);
  const c = getPvc(f, 'web-scratch');
  const p = f.registry.pods.find('default', 'web')!;
  assert.deepEqual(c.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: p.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(c.metadata?.labels, { a: 'b' });
  assert.equal(c.status?.phase, 'Pending');
  f.client.pods.bind('default', 'web', fixtureNodeName);
  await settleIO(f);
  assert.equal(getPvc(f, 'web-scratch').status?.phase, 'Bound');
});

test('persistentvolume rebuilds from the store after a restart', async (t) => {
  const f = controllerFixture(t);
  pvs(f).create(undefined, volume('v', {}));
  const first = await f.run([persistentVolumeController]);
  first.stop();
  pvcs(f).create('default', claim('c'));
  await f.run([persistentVolumeController]);
  assert.equal(getPvc(f, 'c').spec?.volumeName, 'v');
});

test('local-path refuses ReadWriteMany claims and classes that bind Immediately (no node chosen), with ProvisioningFailed', async (t) => {
  const f = controllerFixture(t);
  const root = storageRoot(t);
  f.client.resource('storageclasses').create(undefined, { metadata: { name: 'now' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate' });
  pvcs(f).create('default', claim('immediate', { storageClassName: 'now' }));
  pvcs(f).create('default', claim('shared', { storageClassName: 'standard', accessModes: ['ReadWriteMany'] }));
  f.registry.pods.create('default', pod('user', 'shared', fixtureNodeName));
  await f.run([persistentVolumeController, localPathProvisioner({ storageRoot: root })]);
  await settleIO(f);
  assert.ok(eventsFor(f, 'immediate').includes('ProvisioningFailed: failed to provision volume with StorageClass "now": configuration error, no node was specified'));
  assert.ok(
    eventsFor(f, 'shared').includes(
      'ProvisioningFailed: failed to provision volume with StorageClass "standard": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes',
    ),
  );
  assert.equal(pvs(f).list(undefined).items.length, 0);
});
