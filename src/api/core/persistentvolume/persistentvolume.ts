/** core/v1 PersistentVolume: its names and capabilities, storage rules and Table columns. */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { persistentVolumePrinter } from './persistentvolume-printer.ts';
import { persistentVolumeStrategy } from './persistentvolume-strategy.ts';

export const persistentVolumeKind: Kind<PersistentVolume> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    singular: 'persistentvolume',
    kind: 'PersistentVolume',
    listKind: 'PersistentVolumeList',
    namespaced: false,
    shortNames: ['pv'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: persistentVolumeStrategy,
  printer: persistentVolumePrinter,
};
