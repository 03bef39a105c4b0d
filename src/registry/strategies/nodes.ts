/** Storage rules for core/v1 Nodes; berth's kubelet registers its one node. */
import type { Strategy } from '../strategy.ts';

export const nodeStrategy: Strategy = {
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
  selectableFields: ['spec.unschedulable'],
  fields: (n) => ({ 'spec.unschedulable': String(n.spec?.unschedulable ?? false) }),
  prepareForCreate() {},
  validate: () => [],
  prepareForUpdate(node, old) {
    node.status = old.status;
  },
  validateUpdate: () => [],
  prepareForStatusUpdate(node, old) {
    node.spec = old.spec;
  },
  validateStatusUpdate: () => [],
};
