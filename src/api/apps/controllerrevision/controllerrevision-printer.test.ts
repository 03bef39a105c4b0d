import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { controllerRevisionPrinter } from './controllerrevision-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function revision(ownerReferences?: OwnerReference[]): ControllerRevision {
  return { metadata: { name: 'fluentd-7b9c', ownerReferences, creationTimestamp: new Date(NOW - 10_000).toISOString() }, revision: 2 };
}

test('controllerRevisionPrinter has printControllerRevision columns', () => {
  assert.deepEqual(
    controllerRevisionPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Controller', 'string', 0],
      ['Revision', 'string', 0],
      ['Age', 'string', 0],
    ],
  );
});

test('controllerRevisionPrinter names the controlling owner as kind.group/name in lower case', () => {
  const owners = [
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'other', uid: 'u0' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u1', controller: true },
  ];
  assert.deepEqual(controllerRevisionPrinter.cells(revision(owners), NOW), ['fluentd-7b9c', 'daemonset.apps/fluentd', 2, '10s']);
});

test('controllerRevisionPrinter prints <none> without a controller and the bare kind for a core owner', () => {
  assert.equal(controllerRevisionPrinter.cells(revision(), NOW)[1], '<none>');
  assert.equal(controllerRevisionPrinter.cells(revision([{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }]), NOW)[1], 'pod/p');
});
