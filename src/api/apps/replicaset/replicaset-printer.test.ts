import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { replicaSetPrinter } from './replicaset-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function replicaSet(replicas: number, status?: ReplicaSet['status'], selector: LabelSelector = { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8c' } }): ReplicaSet {
  return {
    metadata: { name: 'web-5d4f8c', creationTimestamp: new Date(NOW - 90_000).toISOString() },
    spec: { replicas, selector, template: { spec: { containers: [{ name: 'busybox', image: 'busybox:1.35' }] } } },
    status,
  };
}

test('replicaSetPrinter has printReplicaSet columns with integer counts', () => {
  assert.deepEqual(
    replicaSetPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Desired', 'integer', 0],
      ['Current', 'integer', 0],
      ['Ready', 'integer', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

test('replicaSetPrinter prints desired from the spec and current/ready from the status', () => {
  assert.deepEqual(replicaSetPrinter.cells(replicaSet(3, { replicas: 2, readyReplicas: 1 }), NOW), [
    'web-5d4f8c',
    3,
    2,
    1,
    '90s',
    'busybox',
    'busybox:1.35',
    'app=web,pod-template-hash=5d4f8c',
  ]);
});

test('replicaSetPrinter prints a scaled-down ReplicaSet with zeros and an empty selector as <none>', () => {
  assert.deepEqual(replicaSetPrinter.cells(replicaSet(0, { replicas: 0 }, {}), NOW).slice(1, 4).concat(replicaSetPrinter.cells(replicaSet(0, undefined, {}), NOW)[7]), [0, 0, 0, '<none>']);
});
