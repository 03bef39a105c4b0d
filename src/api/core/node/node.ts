/** core/v1 Node: its names and capabilities, storage rules and Table columns. */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { nodePrinter } from './node-printer.ts';
import { nodeStrategy } from './node-strategy.ts';

export const nodeKind: Kind<Node> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: nodeStrategy,
  printer: nodePrinter,
};
