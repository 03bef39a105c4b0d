/** core/v1 PersistentVolumeClaim: its names and capabilities, storage rules and Table columns. */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { persistentVolumeClaimPrinter } from './persistentvolumeclaim-printer.ts';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaim-strategy.ts';

export const persistentVolumeClaimKind: Kind<PersistentVolumeClaim> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    listKind: 'PersistentVolumeClaimList',
    namespaced: true,
    shortNames: ['pvc'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: persistentVolumeClaimStrategy,
  printer: persistentVolumeClaimPrinter,
};
