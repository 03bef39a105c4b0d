import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/api.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import { fitErrorMessage, schedulePod } from './schedule-one.ts';
import { nodeInfo } from './node-info.ts';
import { backoffMs } from './scheduling-queue.ts';
import { isSchedulableAfter } from './queueing-hints.ts';

const node = (name: string, labels: Record<string, string> = {}, allocatable: Record<string, string> = { cpu: '1', memory: '1Gi', pods: '110' }): Node => ({
  metadata: { name, labels },
  status: { allocatable },
});
const pod = (spec: Record<string, unknown> = {}, requests?: Record<string, string>): Pod =>
  ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', ...(requests ? { resources: { requests } } : {}) }], ...spec } }) as Pod;

test('fitErrorMessage sorts the reason histogram as Go strings and counts nodes per reason', () => {
  const statuses = [
    { code: 'Unschedulable' as const, reasons: ['Insufficient memory', 'Insufficient cpu'] },
    { code: 'Unschedulable' as const, reasons: ['Insufficient cpu'] },
    { code: 'UnschedulableAndUnresolvable' as const, reasons: ["node(s) didn't match Pod's node affinity/selector"] },
  ];
  assert.equal(
    fitErrorMessage(3, statuses, { postFilterMsg: 'preemption: x.' }),
    "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption: x.",
  );
  assert.equal(fitErrorMessage(1, [], { preFilterMsg: 'pod affinity terms conflict' }), '0/1 nodes are available: pod affinity terms conflict.');
});

test('schedulePod words preemption per node: not helpful where unresolvable, no victims elsewhere', () => {
  const infos = [nodeInfo(node('a', { disk: 'ssd' }), []), nodeInfo(node('b'), [])];
  const d = schedulePod(pod({ nodeSelector: { disk: 'ssd' } }, { cpu: '2' }), infos);
  assert.deepEqual(d, {
    kind: 'unschedulable',
    message:
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
    plugins: new Set(['NodeResourcesFit', 'NodeAffinity']),
  });
});

test('schedulePod reports conflicting metadata.name terms from the NodeAffinity prefilter', () => {
  const terms = [['x'], ['y']].map((values) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }, { key: 'metadata.name', operator: 'In', values: ['z'] }] }));
  const d = schedulePod(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } }), [nodeInfo(node('x'), [])]);
  assert.equal(d.kind === 'unschedulable' && d.message, '0/1 nodes are available: pod affinity terms conflict. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
});

test('schedulePod counts sidecar host ports against the node', () => {
  const sidecar = { name: 's', image: 'x', restartPolicy: 'Always', ports: [{ containerPort: 1, hostPort: 9000 }] };
  const holder = { ...pod({ nodeName: 'a', initContainers: [sidecar] }), metadata: { name: 'h' } } as Pod;
  const d = schedulePod(pod({ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 2, hostPort: 9000 }] }] }), [nodeInfo(node('a'), [holder])]);
  assert.equal(d.kind, 'unschedulable');
});

test('backoffMs doubles from 1 s per attempt up to 10 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoffMs), [0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('isSchedulableAfter moves on what may help the failing plugins only', () => {
  const p = pod({ nodeSelector: { disk: 'ssd' } });
  const bare = node('n1');
  const labelled = node('n1', { disk: 'ssd' });
  const affinity = new Set(['NodeAffinity']);
  assert.equal(isSchedulableAfter(p, affinity, { kind: 'NodeUpdate', oldNode: bare, node: labelled }), true);
  assert.equal(isSchedulableAfter(p, affinity, { kind: 'NodeUpdate', oldNode: labelled, node: labelled }), false);
  assert.equal(isSchedulableAfter(p, affinity, { kind: 'AssignedPodDelete', pod: pod() }), false);
  const fit = new Set(['NodeResourcesFit']);
  assert.equal(isSchedulableAfter(p, fit, { kind: 'AssignedPodDelete', pod: pod() }), true);
  const bigger = node('n1', {}, { cpu: '4', memory: '1Gi', pods: '110' });
  const big = pod({}, { cpu: '2' });
  assert.equal(isSchedulableAfter(big, fit, { kind: 'NodeUpdate', oldNode: bare, node: bigger }), true);
  assert.equal(isSchedulableAfter(big, fit, { kind: 'NodeUpdate', oldNode: bigger, node: bare }), false);
});
