/** apps/v1 StatefulSet: its names and capabilities, storage rules and Table columns. */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Kind } from '../../kind.ts';
import { statefulSetPrinter } from './statefulset-printer.ts';
import { statefulSetStrategy } from './statefulset-strategy.ts';

export const statefulSetKind: Kind<StatefulSet> = {
  info: {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    listKind: 'StatefulSetList',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'scale'],
  },
  strategy: statefulSetStrategy,
  printer: statefulSetPrinter,
};
