/** core/v1 ConfigMap: its names and capabilities, storage rules and Table columns. */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { configMapPrinter } from './configmap-printer.ts';
import { configMapStrategy } from './configmap-strategy.ts';

export const configMapKind: Kind<ConfigMap> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: configMapStrategy,
  printer: configMapPrinter,
};
