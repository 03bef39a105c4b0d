/** Storage rules for core/v1 Nodes; berth's kubelet registers its one node. */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

export const nodeStrategy: Strategy<Node> = {
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
