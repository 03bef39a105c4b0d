import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { addOrUpdateDaemonPodTolerations, createPodTemplate, isPodUpdated, replaceNodeNameNodeAffinity, scaledValue, targetNodeName, templateGeneration } from './daemon-pod.ts';
import { nodeShouldRunDaemonPod } from './node-fit.ts';

function node(extra: { labels?: Record<string, string>; taints?: Taint[] } = {}): Node {
  return { metadata: { name: 'node1', labels: { 'kubernetes.io/hostname': 'node1', ...extra.labels } }, spec: { taints: extra.taints } };
}

function ds(spec: Partial<PodSpec> = {}): DaemonSet {
  return {
    metadata: { name: 'ds', namespace: 'default', uid: 'u' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } },
  };
}

const nodeAffinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as any } } } });

test('nodeShouldRunDaemonPod decides as upstream for selectors, affinity, node names and taints', () => {
  const cases: [string, Node, DaemonSet, [boolean, boolean]][] = [
    ['a plain node', node(), ds(), [true, true]],
    ['a matching nodeSelector', node({ labels: { disk: 'ssd' } }), ds({ nodeSelector: { disk: 'ssd' } }), [true, true]],
    ['a nodeSelector that does not match', node(), ds({ nodeSelector: { disk: 'ssd' } }), [false, false]],
    ['another template nodeName', node(), ds({ nodeName: 'node2' }), [false, false]],
    ['its own template nodeName', node(), ds({ nodeName: 'node1' }), [true, true]],
    ['matching required affinity', node({ labels: { zone: 'a' } }), ds(nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }])), [true, true]],
    ['affinity terms are ORed', node(), ds(nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }] }])), [true, true]],
    ['affinity that does not match', node(), ds(nodeAffinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }])), [false, false]],
    ['a Gt requirement', node({ labels: { cores: '8' } }), ds(nodeAffinity([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }])), [true, true]],
    ['an unparsable term matches nothing', node(), ds(nodeAffinity([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['x'] }] }])), [false, false]],
    ['an untolerated NoSchedule taint', node({ taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), ds(), [false, true]],
    ['an untolerated NoExecute taint', node({ taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), ds(), [false, false]],
    ['a PreferNoSchedule taint', node({ taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] }), ds(), [true, true]],
    ['a tolerated NoExecute taint', node({ taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), ds({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }] }), [true, true]],
    ['a toleration of another value', node({ taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), ds({ tolerations: [{ key: 'k', value: 'w' }] }), [false, false]],
    ['an Exists toleration without key', node({ taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), ds({ tolerations: [{ operator: 'Exists' }] }), [true, true]],
    ['the unschedulable taint, tolerated by every daemon pod', node({ taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), ds(), [true, true]],
    ['memory pressure, tolerated by every daemon pod', node({ taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), ds(), [true, true]],
    ['not-ready NoExecute, tolerated by every daemon pod', node({ taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), ds(), [true, true]],
    ['network-unavailable, for a pod without hostNetwork', node({ taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds(), [false, true]],
    ['network-unavailable, for a hostNetwork pod', node({ taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds({ hostNetwork: true }), [true, true]],
  ];
  for (const [name, n, d, [shouldRun, shouldContinueRunning]] of cases) {
    assert.deepEqual(nodeShouldRunDaemonPod(n, d), { shouldRun, shouldContinueRunning }, name);
  }
});

test('addOrUpdateDaemonPodTolerations replaces a matching toleration with a bounded one and keeps the others', () => {
  const spec: PodSpec = {
    containers: [],
    tolerations: [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'mine', operator: 'Exists' },
    ],
  };
  addOrUpdateDaemonPodTolerations(spec);
  assert.deepEqual(spec.tolerations!.slice(0, 3), [
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'mine', operator: 'Exists' },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  ]);
  assert.equal(spec.tolerations!.length, 7);
  addOrUpdateDaemonPodTolerations(spec);
  assert.equal(spec.tolerations!.length, 7, 'idempotent');
});

test('replaceNodeNameNodeAffinity leaves one metadata.name term and keeps the rest of the affinity', () => {
  const pinned = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }] }] };
  assert.deepEqual(replaceNodeNameNodeAffinity(undefined, 'host_1'), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinned } });
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }];
  assert.deepEqual(
    replaceNodeNameNodeAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_2'] }] }, { matchExpressions: [{ key: 'x', operator: 'Exists' }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: preferred,
        },
        podAffinity: {},
      },
      'host_1',
    ),
    { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pinned, preferredDuringSchedulingIgnoredDuringExecution: preferred }, podAffinity: {} },
  );
});

test('targetNodeName reads spec.nodeName, else the one metadata.name In value', () => {
  const pod = (spec: Partial<PodSpec>): Pod => ({ spec: { containers: [], ...spec } });
  assert.equal(targetNodeName(pod({ nodeName: 'n' })), 'n');
  assert.equal(targetNodeName(pod(replaceNodeNameNodeAffinity(undefined, 'n2') as any)), undefined, 'not under spec.affinity');
  assert.equal(targetNodeName(pod({ affinity: replaceNodeNameNodeAffinity(undefined, 'n2') })), 'n2');
  assert.equal(targetNodeName(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } } })), undefined);
  assert.equal(targetNodeName(pod({})), undefined);
});

test('createPodTemplate and isPodUpdated tie pods to the revision hash or the template generation', () => {
  const d: DaemonSet = { ...ds(), metadata: { annotations: { 'deprecated.daemonset.template.generation': '2' } } };
  const gen = templateGeneration(d);
  assert.equal(gen, '2');
  assert.equal(templateGeneration(ds()), undefined);
  const t = createPodTemplate(d.spec!.template, gen, 'abc');
  assert.deepEqual(t.metadata!.labels, { a: 'b', 'pod-template-generation': '2', 'controller-revision-hash': 'abc' });
  assert.equal(d.spec!.template.metadata!.labels!['controller-revision-hash'], undefined, 'the DaemonSet is not changed');
  const pod = (labels: Record<string, string>): Pod => ({ metadata: { labels } });
  assert.ok(isPodUpdated(pod({ 'controller-revision-hash': 'abc' }), 'abc', undefined));
  assert.ok(isPodUpdated(pod({ 'pod-template-generation': '2' }), 'xyz', '2'));
  assert.ok(!isPodUpdated(pod({ 'controller-revision-hash': 'old', 'pod-template-generation': '1' }), 'abc', '2'));
  assert.ok(!isPodUpdated(pod({}), '', undefined));
});

test('scaledValue reads integers and rounds percentages up', () => {
  assert.equal(scaledValue(2, 10), 2);
  assert.equal(scaledValue('10%', 1), 1);
  assert.equal(scaledValue('0%', 1), 0);
  assert.equal(scaledValue('50%', 3), 2);
  assert.throws(() => scaledValue('x', 1), /not a percentage/);
  assert.throws(() => scaledValue(undefined, 1), /nil value/);
});
