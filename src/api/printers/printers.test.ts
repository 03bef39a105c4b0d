import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMapKind } from '../core/configmap/configmap.ts';
import { namespaceKind } from '../core/namespace/namespace.ts';
import { podKind } from '../core/pod/pod.ts';
import { secretKind } from '../core/secret/secret.ts';
import { buildTable } from './printers.ts';

const podPrinter = podKind.printer;

const NOW = Date.parse('2025-06-01T12:00:00Z');
const created = new Date(NOW - 2000).toISOString();

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kubia', namespace: 'default', uid: 'u-1', resourceVersion: '1031', creationTimestamp: created, labels: { app: 'kubia' } },
  spec: { nodeName: 'node1', containers: [{ name: 'kubia', image: 'luksa/kubia:1.0' }, { name: 'envoy', image: 'envoy' }] },
  status: {
    phase: 'Running',
    podIPs: [{ ip: '10.244.0.7' }],
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    containerStatuses: ['envoy', 'kubia'].map((name) => ({
      name,
      image: '',
      imageID: '',
      ready: true,
      restartCount: 0,
      state: { running: { startedAt: created } },
    })),
  },
};

describe('buildTable', () => {
  it('buildTable produces the Table kubectl prints for a pod list (docs/kubectl-protocol.md §3.2)', () => {
    const table = buildTable(podPrinter, [pod], { now: NOW, includeObject: 'Metadata', resourceVersion: '1032' });
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '1032' });
    assert.deepEqual(
      table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Status', 'string', '', 0],
        ['Restarts', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['IP', 'string', '', 1],
        ['Node', 'string', '', 1],
        ['Nominated Node', 'string', '', 1],
        ['Readiness Gates', 'string', '', 1],
      ],
    );
    assert.match(table.columnDefinitions[0].description, /^Name must be unique within a namespace\./);
    assert.deepEqual(table.rows, [
      {
        cells: ['kubia', '2/2', 'Running', '0', '2s', '10.244.0.7', 'node1', '<none>', '<none>'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
      },
    ]);
  });

  it('buildTable embeds the full object when includeObject is Object', () => {
    const table = buildTable(podPrinter, [pod], { now: NOW, includeObject: 'Object' });
    assert.equal(table.rows[0].object, pod);
  });

  it('buildTable leaves the row object out when includeObject is None', () => {
    const table = buildTable(podPrinter, [pod], { now: NOW, includeObject: 'None' });
    assert.equal('object' in table.rows[0], false);
  });

  it('buildTable keeps column definitions for an empty list and omits them when asked (watch events)', () => {
    const empty = buildTable(podPrinter, [], { now: NOW, includeObject: 'Metadata', resourceVersion: '7' });
    assert.equal(empty.columnDefinitions.length, 9);
    assert.deepEqual(empty.rows, []);
    const event = buildTable(podPrinter, [pod], { now: NOW, includeObject: 'Metadata', columnDefinitions: false });
    assert.deepEqual(event.columnDefinitions, []);
    assert.deepEqual(event.metadata, {});
  });

  it('buildTable adds the Completed row condition for a succeeded pod', () => {
    const done = { ...pod, status: { ...pod.status, phase: 'Succeeded' } };
    const row = buildTable(podPrinter, [done], { now: NOW, includeObject: 'None' }).rows[0];
    assert.equal(row.conditions?.[0].type, 'Completed');
  });

  it('buildTable uses Name and Age for kinds without a printer', () => {
    const table = buildTable(undefined, [{ metadata: { name: 'w', creationTimestamp: created } }], { now: NOW, includeObject: 'None' });
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
    assert.deepEqual(table.rows[0].cells, ['w', '2s']);
  });
});

describe('kind printers', () => {
  it('the namespace, configmap and secret kinds print their rows', () => {
    assert.deepEqual(namespaceKind.printer!.cells({ metadata: { name: 'default', creationTimestamp: created }, status: { phase: 'Active' } }, NOW), [
      'default',
      'Active',
      '2s',
    ]);
    assert.deepEqual(
      configMapKind.printer!.cells({ metadata: { name: 'cm', creationTimestamp: created }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, NOW),
      ['cm', 3, '2s'],
    );
    assert.deepEqual(
      secretKind.printer!.cells({ metadata: { name: 's', creationTimestamp: created }, type: 'Opaque', data: { k: 'dg==' } }, NOW),
      ['s', 'Opaque', 1, '2s'],
    );
    assert.deepEqual(secretKind.printer!.columns.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
  });
});
