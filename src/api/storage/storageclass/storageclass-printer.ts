/**
 * `kubectl get storageclasses` columns, ported from `printStorageClass` in
 * kubernetes `pkg/printers/internalversion/printers.go` (v1.33): the default
 * class's name followed by " (default)".
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isDefaultStorageClass } from '../../defaults/storage-defaults.ts';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

const docs = {
  provisioner: 'provisioner indicates the type of the provisioner.',
  reclaimPolicy:
    'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
  volumeBindingMode:
    'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
  allowVolumeExpansion: 'allowVolumeExpansion shows whether the storage class allow volume expand.',
};

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', docs.provisioner),
    column('ReclaimPolicy', 'string', docs.reclaimPolicy),
    column('VolumeBindingMode', 'string', docs.volumeBindingMode),
    column('AllowVolumeExpansion', 'string', docs.allowVolumeExpansion),
    ageColumn,
  ],
  cells(obj, now) {
    const sc = obj as StorageClass;
    const meta = metaOf(sc);
    return [
      isDefaultStorageClass(sc) ? `${meta.name ?? ''} (default)` : (meta.name ?? ''),
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      translateTimestampSince(meta.creationTimestamp, now),
    ];
  },
};
