import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { Backoff } from './failed-pod-backoff.ts';
import { planManage, planRollingUpdate, statusCounts, type NodeToDaemonPods } from './plan.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const node = (name = 'n1', taints?: Taint[]): Node => ({ metadata: { name }, spec: { taints } });

function ds(strategy: Record<string, unknown> | undefined = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, minReadySeconds = 0): DaemonSet {
  return {
    metadata: { name: 'ds', namespace: 'default', uid: 'u', generation: 2 },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      minReadySeconds,
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      updateStrategy: strategy as DaemonSetUpdateStrategy,
    },
    status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, observedGeneration: 1 },
  };
}

interface PodOpts {
  hash?: string;
  created?: number;
  readySince?: number;
  phase?: string;
  deleting?: boolean;
  nodeName?: string;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { a: 'b', 'controller-revision-hash': o.hash ?? 'new' },
      creationTimestamp: iso(o.created ?? t0),
      ...(o.deleting ? { deletionTimestamp: iso(t0) } : {}),
    },
    spec: { nodeName: o.nodeName ?? 'n1', containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readySince) }],
    },
  };
}

const on = (...pods: Pod[]): NodeToDaemonPods => new Map([['n1', pods]]);
const backoff = () => new Backoff(() => t0);

test('planManage creates on a node without a pod, keeps the oldest of several, and leaves a node with a pod being deleted alone', () => {
  assert.deepEqual(planManage(ds(), [node()], new Map(), 'new', t0, backoff()), { deletes: [], creates: ['n1'], events: [] });
  const two = planManage(ds(), [node()], on(pod('b', { created: t0 + 1000 }), pod('a')), 'new', t0, backoff());
  assert.deepEqual([two.creates, two.deletes], [[], ['b']]);
  const going = planManage(ds(), [node()], on(pod('a', { deleting: true })), 'new', t0, backoff());
  assert.deepEqual([going.creates, going.deletes], [[], []]);
});

test('planManage deletes every pod of a node the DaemonSet must leave, and unbound pods aimed at unknown nodes', () => {
  const tainted = node('n1', [{ key: 'k', effect: 'NoExecute' }]);
  assert.deepEqual(planManage(ds(), [tainted], on(pod('a'), pod('b', { deleting: true })), 'new', t0, backoff()).deletes, ['a']);
  const elsewhere: NodeToDaemonPods = new Map([['gone', [pod('x', { nodeName: '' }), pod('y', { nodeName: 'gone' })]]]);
  assert.deepEqual(planManage(ds(), [node()], elsewhere, 'new', t0, backoff()), { deletes: ['x'], creates: ['n1'], events: [] });
});

test('planManage deletes a failed pod with a FailedDaemonPod warning, then backs off 1 s, 2 s', () => {
  const b = backoff();
  const failed = on(pod('a', { phase: 'Failed' }));
  const first = planManage(ds(), [node()], failed, 'new', t0, b);
  assert.deepEqual(first.deletes, ['a']);
  assert.deepEqual(first.events, [{ type: 'Warning', reason: 'FailedDaemonPod', message: 'Found failed daemon pod default/a on node n1, will try to kill it' }]);
  const again = planManage(ds(), [node()], failed, 'new', t0 + 500, b);
  assert.deepEqual([again.deletes, again.requeueAfterMs, again.events], [[], 1000, []]);
  assert.deepEqual(planManage(ds(), [node()], failed, 'new', t0 + 1000, b).deletes, ['a']);
  assert.equal(planManage(ds(), [node()], failed, 'new', t0 + 1500, b).requeueAfterMs, 2000);
  const ok = planManage(ds(), [node()], on(pod('s', { phase: 'Succeeded' })), 'new', t0, b);
  assert.deepEqual(ok.events, [{ type: 'Normal', reason: 'SucceededDaemonPod', message: 'Found succeeded daemon pod default/s on node n1, will try to delete it' }]);
});

test('planManage with surge keeps the old pod until the new one is available, and drops it at once when it is not ready', () => {
  const surge = ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, 10);
  const oldReady = pod('old', { hash: 'old', readySince: t0 });
  assert.deepEqual(planManage(surge, [node()], on(oldReady, pod('new', { created: t0 + 1, readySince: t0 + 5000 })), 'new', t0 + 10_000, backoff()).deletes, []);
  assert.deepEqual(planManage(surge, [node()], on(oldReady, pod('new', { created: t0 + 1, readySince: t0 + 5000 })), 'new', t0 + 15_001, backoff()).deletes, ['old']);
  assert.deepEqual(planManage(surge, [node()], on(pod('old', { hash: 'old' }), pod('new', { created: t0 + 1 })), 'new', t0, backoff()).deletes, ['old']);
  assert.deepEqual(planManage(surge, [node()], on(pod('new2', { created: t0 + 2 }), pod('new1', { created: t0 + 1 })), 'new', t0, backoff()).deletes, ['new2']);
});

test('planRollingUpdate without surge deletes available old pods within maxUnavailable and unavailable ones always', () => {
  const d = ds();
  assert.deepEqual(planRollingUpdate(d, [node()], on(pod('old', { hash: 'old', readySince: t0 })), 'new', t0), { deletes: ['old'], creates: [] });
  assert.deepEqual(planRollingUpdate(d, [node()], on(pod('old', { hash: 'old' })), 'new', t0), { deletes: ['old'], creates: [] });
  assert.deepEqual(planRollingUpdate(d, [node()], on(pod('new', { readySince: t0 })), 'new', t0), { deletes: [], creates: [] });
  // maxUnavailable 0 and maxSurge 0 is read as maxUnavailable 1.
  assert.deepEqual(planRollingUpdate(ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }), [node()], on(pod('old', { hash: 'old', readySince: t0 })), 'new', t0).deletes, ['old']);
  // Two nodes, one already unavailable: the other's available old pod waits.
  const two: NodeToDaemonPods = new Map([['n1', [pod('old1', { hash: 'old', readySince: t0 })]], ['n2', []]]);
  assert.deepEqual(planRollingUpdate(d, [node('n1'), node('n2')], two, 'new', t0).deletes, []);
  assert.throws(() => planRollingUpdate(ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'x' } }), [node()], on(), 'new', t0), /invalid value for MaxUnavailable/);
});

test('planRollingUpdate with surge creates beside an old pod, and deletes the old one once the new is available', () => {
  const surge = ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  assert.deepEqual(planRollingUpdate(surge, [node()], on(pod('old', { hash: 'old', readySince: t0 })), 'new', t0), { deletes: [], creates: ['n1'] });
  assert.deepEqual(planRollingUpdate(surge, [node()], on(pod('old', { hash: 'old', readySince: t0 }), pod('new')), 'new', t0), { deletes: [], creates: [] });
  assert.deepEqual(planRollingUpdate(surge, [node()], on(pod('old', { hash: 'old', readySince: t0 }), pod('new', { readySince: t0 })), 'new', t0), { deletes: ['old'], creates: [] });
  // An unavailable old pod is replaced at once, beyond maxSurge.
  const zero = ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } });
  assert.deepEqual(planRollingUpdate(zero, [node()], on(pod('old', { hash: 'old' })), 'new', t0), { deletes: ['old'], creates: [] }, '0% surge is no surge');
  assert.deepEqual(planRollingUpdate(surge, [node()], on(pod('old', { hash: 'old' })), 'new', t0), { deletes: [], creates: ['n1'] });
});

test('statusCounts judges the oldest pod of each node, with minReadySeconds for availability', () => {
  const d = ds(undefined, 10);
  const c = statusCounts(d, [node()], on(pod('b', { created: t0 + 1, readySince: t0 }), pod('a', { hash: 'old', readySince: t0 })), 'new', t0 + 5000);
  assert.deepEqual(c, { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 1 });
  assert.equal(statusCounts(d, [node()], on(pod('a', { readySince: t0 })), 'new', t0 + 10_001).numberAvailable, 1);
  const mis = statusCounts(d, [node('n1', [{ key: 'k', effect: 'NoSchedule' }])], on(pod('a')), 'new', t0);
  assert.deepEqual([mis.desiredNumberScheduled, mis.numberMisscheduled, mis.numberUnavailable], [0, 1, 0]);
});
