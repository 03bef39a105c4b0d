/** core/v1 Secret: its names and capabilities, storage rules and Table columns. */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { secretPrinter } from './secret-printer.ts';
import { secretStrategy } from './secret-strategy.ts';

export const secretKind: Kind<Secret> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    listKind: 'SecretList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: secretStrategy,
  printer: secretPrinter,
};
