/**
 * Storage rules for core/v1 PersistentVolumes (kube-apiserver
 * `pkg/registry/core/persistentvolume` strategy.go, v1.33): defaults, status
 * reset to phase Pending on create, kept by updates; a status update changes
 * only status and stamps `lastPhaseTransitionTime` when the phase changes.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import { addFinalizer, keepAllButStatus } from '../../status-strategy.ts';
import { rfc3339 } from '../../time.ts';
import { defaultPersistentVolume } from '../../defaults/storage-defaults.ts';
import { validatePersistentVolume, validatePersistentVolumeUpdate, validateVolumeStatusUpdate } from '../../validation/persistent-volume.ts';

export const persistentVolumeStrategy: Strategy<PersistentVolume> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate(obj, ctx) {
    defaultPersistentVolume(obj);
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },
  // The StorageObjectInUseProtection admission plugin.
  admitOnCreate: (obj) => addFinalizer(obj, 'kubernetes.io/pv-protection'),
  validate: (obj) => validatePersistentVolume(obj),
  prepareForUpdate(obj, old) {
    defaultPersistentVolume(obj);
    obj.status = structuredClone(old.status);
  },
  validateUpdate: (obj, old) => validatePersistentVolumeUpdate(obj, old),
  prepareForStatusUpdate(obj, old) {
    keepAllButStatus(obj, old);
    obj.status ??= {};
    obj.status.phase ||= 'Pending';
    if (obj.status.phase !== old.status?.phase && obj.status.lastPhaseTransitionTime === old.status?.lastPhaseTransitionTime) obj.status.lastPhaseTransitionTime = rfc3339(Date.now());
  },
  validateStatusUpdate: (obj, old) => validateVolumeStatusUpdate(obj, old),
};
