import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ApiError } from '../../errors.ts';
import { memoryRegistry } from '../../../registry/registry-fixture.ts';
import type { ResourceStore } from '../../../registry/registry.ts';

function stores(t: { after(fn: () => void): void }) {
  const { registry } = memoryRegistry(t);
  return {
    pvs: registry.resource('', 'v1', 'persistentvolumes') as ResourceStore<PersistentVolume>,
    pvcs: registry.resource('', 'v1', 'persistentvolumeclaims') as ResourceStore<PersistentVolumeClaim>,
    classes: registry.resource('storage.k8s.io', 'v1', 'storageclasses') as ResourceStore<StorageClass>,
  };
}

/** The Status message of a refused write. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.message;
    throw err;
  }
  assert.fail('the write was accepted');
}

const claim = (spec: PersistentVolumeClaim['spec'], name = 'data'): PersistentVolumeClaim => ({ metadata: { name }, spec });

test('bootstrap creates the default class standard as kind ships it', (t) => {
  const { classes } = stores(t);
  const sc = classes.find(undefined, 'standard')!;
  assert.equal(sc.provisioner, 'rancher.io/local-path');
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer');
  assert.equal(sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
});

test('a claim without storageClassName gets the default class, volumeMode Filesystem and phase Pending', (t) => {
  const { pvcs } = stores(t);
  const pvc = pvcs.create('default', claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
  assert.equal(pvc.spec?.storageClassName, 'standard');
  assert.equal(pvc.spec?.volumeMode, 'Filesystem');
  assert.deepEqual(pvc.status, { phase: 'Pending' });
  const empty = pvcs.create('default', claim({ storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, 'none'));
  assert.equal(empty.spec?.storageClassName, '', 'an empty class is kept: it asks for no class');
});

test('a claim without access modes or storage request is refused with kube-apiserver texts', (t) => {
  const { pvcs } = stores(t);
  assert.equal(
    refusal(() => pvcs.create('default', claim({}))),
    'PersistentVolumeClaim "data" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
  );
  assert.equal(
    refusal(() => pvcs.create('default', claim({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } } }))),
    'PersistentVolumeClaim "data" is invalid: [spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod", spec.resources[storage]: Invalid value: "0": must be greater than zero]',
  );
});

test('a claim spec is immutable, and growing an unbound claim is refused by the resize admission', (t) => {
  const { pvcs } = stores(t);
  const pvc = pvcs.create('default', claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
  const changed = structuredClone(pvc);
  changed.spec!.accessModes = ['ReadWriteMany'];
  assert.match(refusal(() => pvcs.update('default', 'data', changed)), /^PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
  const grown = structuredClone(pvc);
  grown.spec!.resources!.requests!.storage = '2Gi';
  assert.equal(refusal(() => pvcs.update('default', 'data', grown)), 'persistentvolumeclaims "data" is forbidden: Only bound persistent volume claims can be expanded');
});

test('growing a bound claim of a class without allowVolumeExpansion is refused', (t) => {
  const { pvcs } = stores(t);
  const pvc = pvcs.create('default', claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
  const bound = pvcs.update('default', 'data', { ...structuredClone(pvc), status: { phase: 'Bound', capacity: { storage: '1Gi' } } }, { subresource: 'status' });
  const grown = structuredClone(bound);
  grown.spec!.resources!.requests!.storage = '2Gi';
  assert.equal(
    refusal(() => pvcs.update('default', 'data', grown)),
    'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
  );
});

test('a PersistentVolume needs capacity, access modes and exactly one source', (t) => {
  const { pvs } = stores(t);
  assert.equal(
    refusal(() => pvs.create(undefined, { metadata: { name: 'pv1' }, spec: {} })),
    'PersistentVolume "pv1" is invalid: [spec.accessModes: Required value, spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage", spec: Required value: must specify a volume type]',
  );
  assert.equal(
    refusal(() =>
      pvs.create(undefined, {
        metadata: { name: 'pv1' },
        spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/a' }, local: { path: '/tmp/b' } },
      }),
    ),
    'PersistentVolume "pv1" is invalid: spec.local: Forbidden: may not specify more than 1 volume type',
  );
  assert.equal(
    refusal(() => pvs.create(undefined, { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, local: { path: '/tmp/b' } } })),
    'PersistentVolume "pv1" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity',
  );
  assert.match(
    refusal(() => pvs.create(undefined, { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/../a', type: 'Bogus' } } })),
    /spec\.hostPath\.path: Invalid value: "\/tmp\/\.\.\/a": must not contain '\.\.'.*spec\.hostPath\.type: Unsupported value: "Bogus"/s,
  );
});

test('a PersistentVolume defaults to Retain and Filesystem, starts Pending, and its source is immutable', (t) => {
  const { pvs } = stores(t);
  const pv = pvs.create(undefined, { metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/a' } } });
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(pv.spec?.volumeMode, 'Filesystem');
  assert.equal(pv.spec?.hostPath?.type, '');
  assert.equal(pv.status?.phase, 'Pending');
  const moved = structuredClone(pv);
  moved.spec!.hostPath!.path = '/tmp/b';
  assert.match(refusal(() => pvs.update(undefined, 'pv1', moved)), /spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n/);
});

test('a StorageClass needs a provisioner, defaults its policies, and keeps them immutable', (t) => {
  const { classes } = stores(t);
  assert.equal(refusal(() => classes.create(undefined, { metadata: { name: 'fast' } } as StorageClass)), 'StorageClass.storage.k8s.io "fast" is invalid: provisioner: Required value');
  const sc = classes.create(undefined, { metadata: { name: 'fast' }, provisioner: 'example.com/fast' });
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  const changed = { ...structuredClone(sc), provisioner: 'example.com/slow', reclaimPolicy: 'Retain', parameters: { a: 'b' }, volumeBindingMode: 'WaitForFirstConsumer' };
  assert.equal(
    refusal(() => classes.update(undefined, 'fast', changed)),
    'StorageClass.storage.k8s.io "fast" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden., volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable]',
  );
});
