/** core/v1 Namespace: its names and capabilities, storage rules and Table columns. */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { namespacePrinter } from './namespace-printer.ts';
import { namespaceStrategy } from './namespace-strategy.ts';

export const namespaceKind: Kind<Namespace> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'finalize'],
  },
  strategy: namespaceStrategy,
  printer: namespacePrinter,
};
