/** core/v1 Pod: its names and capabilities, storage rules and Table columns. */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { podPrinter } from './pod-printer.ts';
import { podStrategy } from './pod-strategy.ts';

export const podKind: Kind<Pod> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    listKind: 'PodList',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'log', 'exec', 'attach', 'portforward', 'binding'],
  },
  strategy: podStrategy,
  printer: podPrinter,
};
