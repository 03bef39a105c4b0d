import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { statefulSetPrinter } from './statefulset-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

test('statefulSetPrinter has printStatefulSet columns: NAME READY AGE, wide CONTAINERS IMAGES', () => {
  assert.deepEqual(
    statefulSetPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
    ],
  );
});

test('statefulSetPrinter prints ready/desired and the template containers', () => {
  const ss: StatefulSet = {
    metadata: { name: 'web', creationTimestamp: new Date(NOW - 90_000).toISOString() },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
  assert.deepEqual(statefulSetPrinter.cells(ss, NOW), ['web', '2/3', '90s', 'nginx,side', 'nginx:1.27,busybox']);
});

test('statefulSetPrinter shows 0 ready without a status', () => {
  const ss: StatefulSet = { metadata: { name: 'db' }, spec: { replicas: 1, serviceName: 'db', selector: {}, template: {} } };
  assert.equal(statefulSetPrinter.cells(ss, NOW)[1], '0/1');
});
