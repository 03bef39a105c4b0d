import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  comparePodsForDeletion,
  filterActivePods,
  podDeletionCost,
  podDeletionCostAnnotation,
  podsToDelete,
  rankByRelatedPodsOnSameNode,
} from './active-pods.ts';

const now = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hour = 3600_000;

interface Opts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: number;
  cost?: string;
  restarts?: number;
  sidecarRestarts?: number;
  created?: number;
  uid?: string;
  deleting?: boolean;
}

function pod(name: string, o: Opts = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? name,
      ...(o.created !== undefined ? { creationTimestamp: iso(o.created) } : {}),
      ...(o.cost !== undefined ? { annotations: { [podDeletionCostAnnotation]: o.cost } } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(now) } : {}),
    },
    spec: {
      nodeName: o.node,
      containers: [{ name: 'c' }],
      initContainers: [{ name: 'sidecar', restartPolicy: 'Always' }],
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', ...(o.readySince !== undefined ? { lastTransitionTime: iso(o.readySince) } : {}) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 } as never],
      initContainerStatuses: [{ name: 'sidecar', restartCount: o.sidecarRestarts ?? 0 } as never],
    },
  } as Pod;
}

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name);

test('comparePodsForDeletion ranks pods in upstream order (TestSortingActivePods-style: shuffled, sorted back)', () => {
  // Expected deletion order, first to last.
  const ordered = [
    pod('unassigned', { phase: 'Pending', created: now - hour }),
    pod('pending', { node: 'n1', phase: 'Pending', created: now - hour }),
    pod('unknown', { node: 'n1', phase: 'Unknown', created: now - hour }),
    pod('running-not-ready', { node: 'n1', ready: false, created: now - hour }),
    pod('ready-low-cost', { node: 'n1', ready: true, readySince: now - 10 * hour, created: now - 10 * hour, cost: '-5' }),
    pod('ready-zero-time', { node: 'n1', ready: true, created: now - hour }),
    pod('ready-recently', { node: 'n1', ready: true, readySince: now - 60_000, created: now - hour }),
    pod('ready-long-restarts', { node: 'n1', ready: true, readySince: now - 8 * hour, created: now - 9 * hour, restarts: 3 }),
    pod('ready-long', { node: 'n1', ready: true, readySince: now - 8 * hour, created: now - 9 * hour }),
    pod('ready-high-cost', { node: 'n1', ready: true, readySince: now - 100 * hour, created: now - 100 * hour, cost: '10' }),
  ];
  for (let seed = 0; seed < 20; seed++) {
    const shuffled = [...ordered].sort((a, b) => ((hash(a.metadata!.name!, seed) - hash(b.metadata!.name!, seed)) | 0));
    const sorted = shuffled.map((p) => ({ pod: p, rank: 0 })).sort((a, b) => comparePodsForDeletion(a, b, now));
    assert.deepEqual(names(sorted.map((r) => r.pod)), names(ordered), `seed ${seed}`);
  }
});

function hash(s: string, seed: number): number {
  let h = seed * 2654435761;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h;
}

test('comparePodsForDeletion decides each rule on its own (pairs: first is deleted first)', () => {
  const cases: { name: string; a: Opts; b: Opts; rankA?: number; rankB?: number }[] = [
    { name: 'unassigned before assigned', a: {}, b: { node: 'n1' } },
    { name: 'pending before running', a: { node: 'n', phase: 'Pending' }, b: { node: 'n' } },
    { name: 'unknown before running', a: { node: 'n', phase: 'Unknown' }, b: { node: 'n' } },
    { name: 'a terminal phase ranks as pending', a: { node: 'n', phase: 'Succeeded' }, b: { node: 'n', phase: 'Unknown' } },
    { name: 'not ready before ready', a: { node: 'n', ready: false }, b: { node: 'n', ready: true } },
    { name: 'lower deletion cost first', a: { node: 'n', cost: '1' }, b: { node: 'n', cost: '2' } },
    { name: 'negative cost before none', a: { node: 'n', cost: '-1' }, b: { node: 'n' } },
    { name: 'invalid cost counts as 0', a: { node: 'n', cost: '+5' }, b: { node: 'n', cost: '1' } },
    { name: 'doubled up before alone', a: { node: 'n' }, b: { node: 'n' }, rankA: 3, rankB: 1 },
    { name: 'cost beats rank', a: { node: 'n', cost: '0' }, b: { node: 'n', cost: '1' }, rankA: 1, rankB: 3 },
    { name: 'ready for less time first', a: { node: 'n', ready: true, readySince: now - 60_000 }, b: { node: 'n', ready: true, readySince: now - hour } },
    { name: 'ready with no time first', a: { node: 'n', ready: true }, b: { node: 'n', ready: true, readySince: now - hour } },
    {
      name: 'ready times in one log2 bucket fall to the UID',
      a: { node: 'n', ready: true, readySince: now - 3000 * 1000, uid: 'a' },
      b: { node: 'n', ready: true, readySince: now - 3001 * 1000, uid: 'b', created: now },
    },
    { name: 'more restarts first', a: { node: 'n', restarts: 2 }, b: { node: 'n', restarts: 1 } },
    { name: 'more sidecar restarts first on equal restarts', a: { node: 'n', sidecarRestarts: 2 }, b: { node: 'n' } },
    { name: 'regular restarts beat sidecar restarts', a: { node: 'n', restarts: 1 }, b: { node: 'n', sidecarRestarts: 5 } },
    { name: 'newer first', a: { node: 'n', created: now - 60_000 }, b: { node: 'n', created: now - hour } },
    { name: 'no creation time first', a: { node: 'n' }, b: { node: 'n', created: now - hour } },
    { name: 'creation in one log2 bucket falls to the UID', a: { node: 'n', created: now - 3001 * 1000, uid: 'a' }, b: { node: 'n', created: now - 3000 * 1000, uid: 'b' } },
  ];
  for (const c of cases) {
    const a = { pod: pod('a', { uid: 'a', ...c.a }), rank: c.rankA ?? 0 };
    const b = { pod: pod('b', { uid: 'b', ...c.b }), rank: c.rankB ?? 0 };
    assert.ok(comparePodsForDeletion(a, b, now) < 0, c.name);
    assert.ok(comparePodsForDeletion(b, a, now) > 0, `${c.name} (reversed)`);
  }
  const same = { pod: pod('x', { node: 'n', created: now }), rank: 0 };
  assert.equal(comparePodsForDeletion(same, { ...same }, now), 0);
});

test('podsToDelete prefers pods doubled up on a node with related pods, and takes all without sorting when all go', () => {
  const a = pod('a', { node: 'n1', ready: true, readySince: now - hour, created: now - hour });
  const b = pod('b', { node: 'n2', ready: true, readySince: now - hour, created: now - hour });
  const other = pod('other-rs', { node: 'n2' });
  const gone = pod('gone', { node: 'n1', phase: 'Failed' });
  assert.deepEqual(rankByRelatedPodsOnSameNode([a, b], [a, b, other, gone]).map((r) => r.rank), [1, 2]);
  assert.deepEqual(names(podsToDelete([a, b], [a, b, other, gone], 1, now)), ['b']);
  assert.deepEqual(names(podsToDelete([a, b], [], 1, now)), ['a'], 'same rank: the UID decides within one bucket');
  assert.deepEqual(names(podsToDelete([b, a], [a, b, other], 2, now)), ['b', 'a']);
});

test('filterActivePods drops terminal pods and pods being deleted', () => {
  const pods = [pod('run'), pod('pend', { phase: 'Pending' }), pod('ok', { phase: 'Succeeded' }), pod('bad', { phase: 'Failed' }), pod('del', { deleting: true })];
  assert.deepEqual(names(filterActivePods(pods)), ['run', 'pend']);
});

test('podDeletionCost parses the annotation as upstream', () => {
  const cost = (v: string) => podDeletionCost(pod('p', { cost: v }));
  assert.deepEqual(
    ['10', '-10', '0', '-0', '-007', '+1', '007', '', ' 1', 'x', '2147483647', '2147483648', '-2147483648', '-2147483649'].map(cost),
    [10, -10, 0, 0, -7, 0, 0, 0, 0, 0, 2147483647, 0, -2147483648, 0],
  );
  assert.equal(podDeletionCost(pod('p')), 0);
});
