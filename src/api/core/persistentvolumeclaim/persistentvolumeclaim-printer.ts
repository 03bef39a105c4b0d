/**
 * `kubectl get persistentvolumeclaims` columns, ported from
 * `printPersistentVolumeClaim` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): capacity and access
 * modes only once the claim names a volume.
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { accessModesString, quantityString, storageClassOf } from '../persistentvolume/persistentvolume-printer.ts';

const docs = {
  phase: 'phase represents the current phase of PersistentVolumeClaim.',
  volumeName: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
  capacity: 'capacity represents the actual resources of the underlying volume.',
  accessModes: 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
  volumeMode: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', docs.phase),
    column('Volume', 'string', docs.volumeName),
    column('Capacity', 'string', docs.capacity),
    column('Access Modes', 'string', docs.accessModes),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', docs.volumeMode, { priority: 1 }),
  ],
  cells(obj, now) {
    const pvc = obj as PersistentVolumeClaim;
    const meta = metaOf(pvc);
    const phase = meta.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    const volumeName = pvc.spec?.volumeName ?? '';
    return [
      meta.name ?? '',
      phase,
      volumeName,
      volumeName ? quantityString(pvc.status?.capacity?.storage) : '',
      volumeName ? accessModesString(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      translateTimestampSince(meta.creationTimestamp, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};
