/** apps/v1 DaemonSet: its names and capabilities, storage rules and Table columns. */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Kind } from '../../kind.ts';
import { daemonSetPrinter } from './daemonset-printer.ts';
import { daemonSetStrategy } from './daemonset-strategy.ts';

export const daemonSetKind: Kind<DaemonSet> = {
  info: {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: daemonSetStrategy,
  printer: daemonSetPrinter,
};
