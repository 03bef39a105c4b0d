import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { setReplicasAnnotations } from './annotations.ts';
import { maxSurge } from './deployment-spec.ts';
import { planScale } from './scale-plan.ts';
import { newDeployment, rs } from './test-objects.ts';

const newer = '2016-05-20T02:00:00Z';
const old = '2016-05-20T01:00:00Z';
const older = '2016-05-20T00:00:00Z';

interface Case {
  name: string;
  deployment: Deployment;
  oldDeployment: Deployment;
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
  expectedNew?: number;
  expectedOld: number[];
  desiredReplicasAnnotations?: Record<string, number>;
}

const dep = (replicas: number, o: { maxSurge?: number; maxUnavailable?: number } = {}) => newDeployment('foo', { replicas, ...o });

// TestScale, sync_test.go (the "failed rs update" case's failure is a fake-client artefact; its sizes are kept).
const cases: Case[] = [
  { name: 'normal scaling event: 10 -> 12', deployment: dep(12), oldDeployment: dep(10), newRS: rs('foo-v1', 10, newer), oldRSs: [], expectedNew: 12, expectedOld: [] },
  { name: 'normal scaling event: 10 -> 5', deployment: dep(5), oldDeployment: dep(10), newRS: rs('foo-v1', 10, newer), oldRSs: [], expectedNew: 5, expectedOld: [] },
  { name: 'proportional scaling: 5 -> 10', deployment: dep(10), oldDeployment: dep(5), newRS: rs('foo-v2', 2, newer), oldRSs: [rs('foo-v1', 3, old)], expectedNew: 4, expectedOld: [6] },
  { name: 'proportional scaling: 5 -> 3', deployment: dep(3), oldDeployment: dep(5), newRS: rs('foo-v2', 2, newer), oldRSs: [rs('foo-v1', 3, old)], expectedNew: 1, expectedOld: [2] },
  { name: 'proportional scaling: 9 -> 4', deployment: dep(4), oldDeployment: dep(9), newRS: rs('foo-v2', 8, newer), oldRSs: [rs('foo-v1', 1, old)], expectedNew: 4, expectedOld: [0] },
  { name: 'proportional scaling: 7 -> 10', deployment: dep(10), oldDeployment: dep(7), newRS: rs('foo-v3', 2, newer), oldRSs: [rs('foo-v2', 3, old), rs('foo-v1', 2, older)], expectedNew: 3, expectedOld: [4, 3] },
  { name: 'proportional scaling: 13 -> 8', deployment: dep(8), oldDeployment: dep(13), newRS: rs('foo-v3', 2, newer), oldRSs: [rs('foo-v2', 8, old), rs('foo-v1', 3, older)], expectedNew: 1, expectedOld: [5, 2] },
  { name: 'leftover distribution: 3 -> 4', deployment: dep(4), oldDeployment: dep(3), newRS: rs('foo-v3', 1, newer), oldRSs: [rs('foo-v2', 1, old), rs('foo-v1', 1, older)], expectedNew: 2, expectedOld: [1, 1] },
  { name: 'leftover distribution: 3 -> 2', deployment: dep(2), oldDeployment: dep(3), newRS: rs('foo-v3', 1, newer), oldRSs: [rs('foo-v2', 1, old), rs('foo-v1', 1, older)], expectedNew: 1, expectedOld: [1, 0] },
  { name: 'proportional scaling (no new rs): 4 -> 5', deployment: dep(5), oldDeployment: dep(4), oldRSs: [rs('foo-v2', 2, old), rs('foo-v1', 2, older)], expectedOld: [3, 2] },
  { name: 'proportional scaling: 6 -> 0', deployment: dep(0), oldDeployment: dep(6), newRS: rs('foo-v3', 3, newer), oldRSs: [rs('foo-v2', 2, old), rs('foo-v1', 1, older)], expectedNew: 0, expectedOld: [0, 0] },
  { name: 'proportional scaling: 0 -> 6', deployment: dep(6), oldDeployment: dep(6), newRS: rs('foo-v3', 0, newer), oldRSs: [rs('foo-v2', 0, old), rs('foo-v1', 0, older)], expectedNew: 6, expectedOld: [0, 0] },
  {
    name: 'failed rs update',
    deployment: dep(5),
    oldDeployment: dep(5),
    newRS: rs('foo-v3', 2, newer),
    oldRSs: [rs('foo-v2', 1, old), rs('foo-v1', 1, older)],
    expectedNew: 2,
    expectedOld: [2, 1],
    desiredReplicasAnnotations: { 'foo-v2': 3 },
  },
  { name: 'deployment with surge pods', deployment: dep(20, { maxSurge: 2 }), oldDeployment: dep(10, { maxSurge: 2 }), newRS: rs('foo-v2', 6, newer), oldRSs: [rs('foo-v1', 6, old)], expectedNew: 11, expectedOld: [11] },
  { name: 'change both surge and size', deployment: dep(50, { maxSurge: 6 }), oldDeployment: dep(10, { maxSurge: 3 }), newRS: rs('foo-v2', 5, newer), oldRSs: [rs('foo-v1', 8, old)], expectedNew: 22, expectedOld: [34] },
  (() => {
    const d = dep(14);
    d.spec!.template.metadata!.labels = { another: 'label' };
    return { name: 'change both size and template', deployment: d, oldDeployment: dep(10), oldRSs: [rs('foo-v2', 7, newer), rs('foo-v1', 3, old)], expectedOld: [10, 4] };
  })(),
  {
    name: 'saturated but broken new replica set does not affect old pods',
    deployment: dep(2, { maxSurge: 1, maxUnavailable: 1 }),
    oldDeployment: dep(2, { maxSurge: 1, maxUnavailable: 1 }),
    newRS: rs('foo-v2', 2, newer, { available: 0 }),
    oldRSs: [rs('foo-v1', 1, old)],
    expectedNew: 2,
    expectedOld: [1],
  },
];

test('planScale scales one active ReplicaSet to the new size and several in proportion to max-replicas (TestScale)', () => {
  for (const c of cases) {
    for (const r of [c.newRS, ...c.oldRSs]) {
      if (!r) continue;
      const desired = c.desiredReplicasAnnotations?.[r.metadata!.name!] ?? c.oldDeployment.spec!.replicas!;
      setReplicasAnnotations(r, desired, desired + maxSurge(c.oldDeployment));
    }
    const sizes = new Map<string, number>();
    for (const r of [c.newRS, ...c.oldRSs]) if (r) sizes.set(r.metadata!.name!, r.spec!.replicas!);
    for (const step of planScale(c.deployment, c.newRS, c.oldRSs).steps) sizes.set(step.rs.metadata!.name!, step.replicas);
    if (c.newRS) assert.equal(sizes.get(c.newRS.metadata!.name!), c.expectedNew, `${c.name}: new`);
    assert.deepEqual(c.oldRSs.map((r) => sizes.get(r.metadata!.name!)), c.expectedOld, `${c.name}: old`);
  }
});

test('planScale of a saturated new ReplicaSet scales the old ones to 0', () => {
  const d = dep(3);
  const newRS = rs('foo-v2', 3, newer, { available: 3 });
  setReplicasAnnotations(newRS, 3, 3);
  const oldRS = rs('foo-v1', 1, old);
  assert.deepEqual(
    planScale(d, newRS, [oldRS]).steps.map((s) => [s.rs.metadata?.name, s.replicas]),
    [['foo-v1', 0]],
  );
});
