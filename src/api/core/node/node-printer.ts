/**
 * Node columns, ported from `printNode` in kubernetes
 * `pkg/printers/internalversion/printers.go`.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, nameColumn, type Printer } from '../../printers/table.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  nodeStatus: 'The status of the node',
  nodeRoles: 'The roles of the node',
  kubeletVersion: 'Kubelet Version reported by the node.',
  nodeAddresses: "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  osImage: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  containerRuntimeVersion: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
};


const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

export const nodeColumns = [
  nameColumn,
  column('Status', 'string', docs.nodeStatus),
  column('Roles', 'string', docs.nodeRoles),
  ageColumn,
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
