import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { daemonSetPrinter } from './daemonset-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function daemonSet(nodeSelector: Record<string, string> | undefined, status?: DaemonSet['status']): DaemonSet {
  return {
    metadata: { name: 'fluentd', creationTimestamp: new Date(NOW - 2 * 3600_000).toISOString() },
    spec: {
      selector: { matchLabels: { name: 'fluentd' } },
      template: { spec: { nodeSelector, containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } },
    },
    status,
  };
}

test('daemonSetPrinter has printDaemonSet columns, NODE SELECTOR before AGE', () => {
  assert.deepEqual(
    daemonSetPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Desired', 'integer', 0],
      ['Current', 'integer', 0],
      ['Ready', 'integer', 0],
      ['Up-to-date', 'integer', 0],
      ['Available', 'integer', 0],
      ['Node Selector', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

test('daemonSetPrinter prints the scheduling counts and the sorted node selector', () => {
  const status = { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 0, numberMisscheduled: 0 };
  assert.deepEqual(daemonSetPrinter.cells(daemonSet({ 'kubernetes.io/os': 'linux', disk: 'ssd' }, status), NOW), [
    'fluentd',
    1,
    1,
    1,
    1,
    0,
    'disk=ssd,kubernetes.io/os=linux',
    '120m',
    'fluentd',
    'fluentd:v1',
    'name=fluentd',
  ]);
});

test('daemonSetPrinter prints <none> without a node selector and zeros without a status', () => {
  assert.deepEqual(daemonSetPrinter.cells(daemonSet(undefined), NOW).slice(1, 7), [0, 0, 0, 0, 0, '<none>']);
});
