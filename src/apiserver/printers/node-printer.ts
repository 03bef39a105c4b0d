/**
 * Node columns, ported from `printNode` in kubernetes
 * `pkg/printers/internalversion/printers.go`.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { docs } from './column-docs.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, type Printer } from './table.ts';

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

export const nodeColumns = [
  column('Name', 'string', docs.name, { format: 'name' }),
  column('Status', 'string', docs.nodeStatus),
  column('Roles', 'string', docs.nodeRoles),
  column('Age', 'string', docs.creationTimestamp),
  column('Version', 'string', docs.kubeletVersion),
  column('Internal-IP', 'string', docs.nodeAddresses, { priority: 1 }),
  column('External-IP', 'string', docs.nodeAddresses, { priority: 1 }),
  column('OS-Image', 'string', docs.osImage, { priority: 1 }),
  column('Kernel-Version', 'string', docs.kernelVersion, { priority: 1 }),
  column('Container-Runtime', 'string', docs.containerRuntimeVersion, { priority: 1 }),
];

/** Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels, sorted. */
export function findNodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_LABEL_ROLE && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: nodeColumns,
  cells(obj, now) {
    const node = obj as Node;
    // Only the Ready condition feeds STATUS; the last one of that type wins, as in Go's map.
    const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
    const status: string[] = [];
    if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    if (status.length === 0) status.push('Unknown');
    if (node.spec?.unschedulable) status.push('SchedulingDisabled');
    const roles = findNodeRoles(node).join(',') || '<none>';
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      status.join(','),
      roles,
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
