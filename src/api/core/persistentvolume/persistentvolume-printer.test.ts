import assert from 'node:assert/strict';
import { test } from 'node:test';
import { persistentVolumePrinter } from './persistentvolume-printer.ts';
import { persistentVolumeClaimPrinter } from '../persistentvolumeclaim/persistentvolumeclaim-printer.ts';
import { storageClassPrinter } from '../../storage/storageclass/storageclass-printer.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const created = new Date(NOW - 3 * 60_000).toISOString();

test('persistentVolumePrinter has printPersistentVolume columns and shows the claim as namespace/name', () => {
  assert.deepEqual(
    persistentVolumePrinter.columns.map((c) => c.name),
    ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode'],
  );
  const row = persistentVolumePrinter.cells(
    {
      metadata: { name: 'pvc-1', creationTimestamp: created },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    },
    NOW,
  );
  assert.deepEqual(row, ['pvc-1', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '3m', 'Filesystem']);
});

test('persistentVolumeClaimPrinter shows capacity and access modes only once a volume is named', () => {
  assert.deepEqual(
    persistentVolumeClaimPrinter.columns.map((c) => c.name),
    ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
  );
  const pending = { metadata: { name: 'data', creationTimestamp: created }, spec: { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(pending, NOW), ['data', 'Pending', '', '', '', 'standard', '<unset>', '3m', '<unset>']);
  const bound = { ...pending, spec: { ...pending.spec, volumeName: 'pvc-1' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(bound, NOW), ['data', 'Bound', 'pvc-1', '1Gi', 'RWO', 'standard', '<unset>', '3m', '<unset>']);
  const deleting = { ...bound, metadata: { ...bound.metadata, deletionTimestamp: created } };
  assert.equal(persistentVolumeClaimPrinter.cells(deleting, NOW)[1], 'Terminating');
});

test('storageClassPrinter marks the default class and prints its policies', () => {
  assert.deepEqual(storageClassPrinter.columns.map((c) => c.name), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  const row = storageClassPrinter.cells(
    {
      metadata: { name: 'standard', creationTimestamp: created, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    NOW,
  );
  assert.deepEqual(row, ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '3m']);
});
