/** storage.k8s.io/v1 StorageClass: its names and capabilities, storage rules and Table columns. */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Kind } from '../../kind.ts';
import { storageClassPrinter } from './storageclass-printer.ts';
import { storageClassStrategy } from './storageclass-strategy.ts';

export const storageClassKind: Kind<StorageClass> = {
  info: {
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    singular: 'storageclass',
    kind: 'StorageClass',
    listKind: 'StorageClassList',
    namespaced: false,
    shortNames: ['sc'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: storageClassStrategy,
  printer: storageClassPrinter,
};
