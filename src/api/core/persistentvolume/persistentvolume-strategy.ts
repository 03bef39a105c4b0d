/**
 * Storage rules for core/v1 PersistentVolumes (kube-apiserver
 * `pkg/registry/core/persistentvolume` strategy.go): status reset on create and kept by
 * updates, a status update changes only status; the PersistentVolume's defaults and
 * validation.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

export const persistentVolumeStrategy: Strategy<PersistentVolume> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate: () => [],
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
  validateUpdate: () => [],
  prepareForStatusUpdate(obj, old) {
    obj.spec = old.spec;
    const rv = obj.metadata.resourceVersion;
    obj.metadata = { ...old.metadata, resourceVersion: rv };
  },
  validateStatusUpdate: () => [],
};
