import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { newRSNewReplicas, planCleanupUnhealthy, planNewReplicaSet, planOldReplicaSets, planScaleDownOld } from './rolling-plan.ts';
import { newDeployment, rs } from './test-objects.ts';

test('newRSNewReplicas stays within the surge, never above the desired replicas, and is the full size for Recreate (TestNewRSNewReplicas)', () => {
  const cases: [string, 'RollingUpdate' | 'Recreate', number, number, number, number][] = [
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
  ];
  const rs5 = rs('rs5', 5);
  for (const [name, type, depReplicas, newRSReplicas, maxSurge, want] of cases) {
    const d: Deployment = newDeployment('nginx', { replicas: depReplicas, maxSurge, maxUnavailable: 1 });
    d.spec!.strategy = { type, rollingUpdate: { maxUnavailable: 1, maxSurge } };
    assert.equal(newRSNewReplicas(d, [rs5], rs('new', newRSReplicas)), want, name);
  }
});

test('planNewReplicaSet scales the new ReplicaSet up within maxSurge or down to the desired size (TestDeploymentController_reconcileNewReplicaSet)', () => {
  const cases: [number, number, number, number, number | undefined][] = [
    [10, 0, 10, 0, undefined],
    [10, 2, 10, 0, 2],
    [10, 2, 5, 0, 7],
    [10, 2, 10, 2, undefined],
    [10, 2, 2, 11, 10],
  ];
  for (const [replicas, maxSurge, oldReplicas, newReplicas, want] of cases) {
    const d = newDeployment('foo', { replicas, maxSurge, maxUnavailable: 0, selector: { foo: 'bar' } });
    const newRS = rs('foo-v2', newReplicas);
    assert.equal(planNewReplicaSet([newRS, rs('foo-v1', oldReplicas)], newRS, d), want, JSON.stringify({ replicas, maxSurge, oldReplicas, newReplicas }));
  }
});

test('planOldReplicaSets scales old ReplicaSets down within maxUnavailable, unhealthy replicas first, never for the new ReplicaSet\'s unavailable pods (TestDeploymentController_reconcileOldReplicaSets)', () => {
  const cases: [number, number, number, number, number, number, number | undefined][] = [
    // replicas, maxUnavailable, oldReplicas, newReplicas, oldAvailable, newAvailable, expected old size
    [10, 0, 10, 0, 10, 0, 9],
    [10, 2, 10, 0, 10, 0, 8],
    [10, 2, 10, 0, 8, 0, 8],
    [10, 2, 10, 0, 9, 0, 8],
    [10, 2, 8, 2, 8, 0, undefined],
  ];
  for (const [replicas, maxUnavailable, oldReplicas, newReplicas, oldAvailable, newAvailable, want] of cases) {
    const d = newDeployment('foo', { replicas, maxSurge: 0, maxUnavailable, selector: { foo: 'new' } });
    const newRS = rs('foo-new', newReplicas, undefined, { available: newAvailable });
    const oldRS = rs('foo-old', oldReplicas, undefined, { available: oldAvailable });
    const steps = planOldReplicaSets([oldRS, newRS], [oldRS], newRS, d);
    const final = steps.length ? steps[steps.length - 1].replicas : undefined;
    assert.equal(final, want, JSON.stringify({ maxUnavailable, oldAvailable, newReplicas }));
  }
});

test('planOldReplicaSets writes a ReplicaSet twice when it loses unhealthy replicas and then available ones, as upstream does', () => {
  const d = newDeployment('foo', { replicas: 10, maxSurge: 0, maxUnavailable: 2 });
  const newRS = rs('foo-new', 0);
  const oldRS = rs('foo-old', 10, undefined, { available: 9 });
  assert.deepEqual(
    planOldReplicaSets([oldRS, newRS], [oldRS], newRS, d).map((s) => [s.rs.metadata?.name, s.replicas]),
    [['foo-old', 9], ['foo-old', 8]],
  );
});

test('planCleanupUnhealthy removes at most maxCleanupCount unavailable replicas (TestDeploymentController_cleanupUnhealthyReplicas)', () => {
  const cases: [number, number, number, number][] = [
    [10, 8, 1, 1],
    [10, 8, 3, 2],
    [10, 8, 0, 0],
    [10, 10, 3, 0],
  ];
  for (const [oldReplicas, ready, maxCleanup, want] of cases) {
    assert.equal(planCleanupUnhealthy([rs('foo-v2', oldReplicas, undefined, { available: ready })], maxCleanup).scaled, want);
  }
});

test('planScaleDownOld keeps minAvailable available pods (TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate)', () => {
  const cases: [number, number, number, number, number | undefined][] = [
    [10, 0, 10, 10, 9],
    [10, 2, 10, 10, 8],
    [10, 2, 8, 10, undefined],
    [10, 2, 10, 0, undefined],
    [10, 2, 1, 10, undefined],
  ];
  for (const [replicas, maxUnavailable, ready, oldReplicas, want] of cases) {
    const d = newDeployment('foo', { replicas, maxSurge: 0, maxUnavailable, selector: { foo: 'bar' } });
    const oldRS = rs('foo-v2', oldReplicas, undefined, { available: ready });
    const { steps } = planScaleDownOld([oldRS], [oldRS], d);
    assert.equal(steps.length ? steps[0].replicas : undefined, want, JSON.stringify({ maxUnavailable, ready, oldReplicas }));
    assert.ok(steps.length <= 1);
  }
});
