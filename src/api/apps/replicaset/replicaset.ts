/** apps/v1 ReplicaSet: its names and capabilities, storage rules and Table columns. */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Kind } from '../../kind.ts';
import { replicaSetPrinter } from './replicaset-printer.ts';
import { replicaSetStrategy } from './replicaset-strategy.ts';

export const replicaSetKind: Kind<ReplicaSet> = {
  info: {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    listKind: 'ReplicaSetList',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'scale'],
  },
  strategy: replicaSetStrategy,
  printer: replicaSetPrinter,
};
