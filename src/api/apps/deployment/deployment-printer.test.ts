import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { deploymentPrinter } from './deployment-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function deployment(spec: Partial<NonNullable<Deployment['spec']>>, status?: Deployment['status']): Deployment {
  return {
    metadata: { name: 'web', creationTimestamp: new Date(NOW - 3 * 60_000).toISOString() },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'busybox', image: 'busybox:1.35' }, { name: 'log', image: 'fluentd' }] } },
      ...spec,
    },
    status,
  };
}

test('deploymentPrinter has printDeployment columns, CONTAINERS/IMAGES/SELECTOR only with -o wide', () => {
  assert.deepEqual(
    deploymentPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Up-to-date', 'string', 0],
      ['Available', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
  assert.equal(deploymentPrinter.columns[1].description, 'Number of the pod with ready state');
});

test('deploymentPrinter prints READY as ready/desired and the counts from the status', () => {
  const row = deploymentPrinter.cells(deployment({ replicas: 3 }, { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 1 }), NOW);
  assert.deepEqual(row, ['web', '2/3', 3, 1, '3m', 'busybox,log', 'busybox:1.35,fluentd', 'app=web']);
});

test('deploymentPrinter prints 0/N and zero counts before the controller reports a status', () => {
  assert.deepEqual(deploymentPrinter.cells(deployment({ replicas: 2 }), NOW).slice(1, 4), ['0/2', 0, 0]);
});

test('deploymentPrinter prints an empty selector as empty text and a broken one as <invalid>', () => {
  assert.equal(deploymentPrinter.cells(deployment({ replicas: 1, selector: {} }), NOW)[7], '');
  assert.equal(deploymentPrinter.cells(deployment({ replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } }), NOW)[7], '<invalid>');
});
