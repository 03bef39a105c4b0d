/**
 * Storage rules for core/v1 PersistentVolumeClaims (kube-apiserver
 * `pkg/registry/core/persistentvolumeclaim` strategy.go, v1.33): defaults,
 * status reset to phase Pending on create and kept by updates; a status
 * update changes only status. The DefaultStorageClass and
 * PersistentVolumeClaimResize admission plugins need the StorageClasses and
 * run in the registry (registry/admission).
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import { addFinalizer, keepAllButStatus } from '../../status-strategy.ts';
import { defaultPersistentVolumeClaim } from '../../defaults/storage-defaults.ts';
import {
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
  validateVolumeStatusUpdate,
} from '../../validation/persistent-volume.ts';

export const persistentVolumeClaimStrategy: Strategy<PersistentVolumeClaim> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate(obj) {
    defaultPersistentVolumeClaim(obj);
    obj.status = { phase: 'Pending' };
  },
  // The StorageObjectInUseProtection admission plugin.
  admitOnCreate: (obj) => addFinalizer(obj, 'kubernetes.io/pvc-protection'),
  validate: (obj) => validatePersistentVolumeClaim(obj),
  prepareForUpdate(obj, old) {
    defaultPersistentVolumeClaim(obj);
    obj.status = structuredClone(old.status);
  },
  validateUpdate: (obj, old) => validatePersistentVolumeClaimUpdate(obj, old),
  prepareForStatusUpdate(obj, old) {
    keepAllButStatus(obj, old);
    obj.status ??= {};
    obj.status.phase ||= 'Pending';
  },
  validateStatusUpdate: (obj, old) => validateVolumeStatusUpdate(obj, old),
};
