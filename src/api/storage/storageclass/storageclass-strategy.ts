/**
 * Storage rules for storage.k8s.io/v1 StorageClasses (kube-apiserver
 * `pkg/registry/storage/storageclass` strategy.go): no status; defaults
 * (reclaimPolicy Delete, volumeBindingMode Immediate) and validation.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Strategy } from '../../kind.ts';
import { defaultStorageClass } from '../../defaults/storage-defaults.ts';
import { validateStorageClass, validateStorageClassUpdate } from '../../validation/storage-class.ts';

export const storageClassStrategy: Strategy<StorageClass> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: (obj) => defaultStorageClass(obj),
  validate: (obj) => validateStorageClass(obj),
  prepareForUpdate: (obj) => defaultStorageClass(obj),
  validateUpdate: (obj, old) => validateStorageClassUpdate(obj, old),
};
