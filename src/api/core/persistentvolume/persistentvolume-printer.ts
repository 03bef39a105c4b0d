/**
 * `kubectl get persistentvolumes` columns, ported from `printPersistentVolume`
 * in kubernetes `pkg/printers/internalversion/printers.go` (v1.33), with the
 * helpers it shares with the claim printer (`GetAccessModesAsString`,
 * `GetPersistentVolumeClass`).
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { canonicalResourceQuantity } from '../../validation/quantity.ts';

const docs = {
  capacity: "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
  accessModes: 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
  reclaimPolicy:
    'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
  phase: 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
  claimRef:
    'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
  reason: 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
  volumeMode: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
};

/** `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** `GetPersistentVolumeClass` / `GetPersistentVolumeClaimClass`: the beta annotation wins over the field. */
export function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  const ann = obj.metadata?.annotations ?? {};
  if (Object.hasOwn(ann, 'volume.beta.kubernetes.io/storage-class')) return ann['volume.beta.kubernetes.io/storage-class']!;
  return obj.spec?.storageClassName ?? '';
}

/** `resource.Quantity.String()` of a stored quantity ('0' when absent). */
export function quantityString(q: unknown): string {
  if (q === undefined || q === null) return '0';
  return String(canonicalResourceQuantity(q));
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', docs.capacity),
    column('Access Modes', 'string', docs.accessModes),
    column('Reclaim Policy', 'string', docs.reclaimPolicy),
    column('Status', 'string', docs.phase),
    column('Claim', 'string', docs.claimRef),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', docs.reason),
    ageColumn,
    column('VolumeMode', 'string', docs.volumeMode, { priority: 1 }),
  ],
  cells(obj, now) {
    const pv = obj as PersistentVolume;
    const meta = metaOf(pv);
    const ref = pv.spec?.claimRef;
    const phase = meta.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    return [
      meta.name ?? '',
      quantityString(pv.spec?.capacity?.storage),
      accessModesString(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      translateTimestampSince(meta.creationTimestamp, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};
