import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { findNodeRoles, nodePrinter } from './node-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function node(extra: { ready?: string; unschedulable?: boolean; labels?: Record<string, string> } = {}): Node {
  return {
    metadata: { name: 'node1', creationTimestamp: new Date(NOW - 3 * 86400_000).toISOString(), labels: extra.labels },
    spec: { unschedulable: extra.unschedulable },
    status: {
      conditions: extra.ready ? [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: extra.ready }] : [],
      addresses: [
        { type: 'Hostname', address: 'node1' },
        { type: 'InternalIP', address: '10.0.0.5' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.0-berth',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://1.6.20',
        architecture: 'amd64',
        bootID: '',
        kubeProxyVersion: '',
        machineID: '',
        operatingSystem: 'linux',
        systemUUID: '',
      },
    },
  };
}

describe('nodePrinter', () => {
  it('nodePrinter shows Ready, roles, age, version and the wide cells', () => {
    assert.deepEqual(nodePrinter.cells(node({ ready: 'True', labels: { 'node-role.kubernetes.io/control-plane': '' } }), NOW), [
      'node1',
      'Ready',
      'control-plane',
      '3d',
      'v1.33.0-berth',
      '10.0.0.5',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0',
      'containerd://1.6.20',
    ]);
  });

  it('nodePrinter shows NotReady,SchedulingDisabled for a cordoned unready node', () => {
    assert.equal(nodePrinter.cells(node({ ready: 'False', unschedulable: true }), NOW)[1], 'NotReady,SchedulingDisabled');
  });

  it('nodePrinter shows Unknown and <none> roles when there is no Ready condition or role label', () => {
    const cells = nodePrinter.cells(node(), NOW);
    assert.equal(cells[1], 'Unknown');
    assert.equal(cells[2], '<none>');
  });

  it('findNodeRoles merges both label styles, sorted and deduplicated', () => {
    const roles = findNodeRoles(
      node({ labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': '' } }),
    );
    assert.deepEqual(roles, ['edge', 'worker']);
  });
});
