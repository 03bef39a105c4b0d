import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { replicasAnnotationsNeedUpdate, setDeploymentAnnotationsTo, setNewReplicaSetAnnotations } from './annotations.ts';
import { newDeployment } from './test-objects.ts';

const withAnnotations = (annotations: Record<string, string>): ReplicaSet => ({ metadata: { name: 'r', annotations: { ...annotations } } });

test('setNewReplicaSetAnnotations raises the revision only upwards and keeps the former ones in revision-history within its length limit', () => {
  const d = newDeployment('foo', { replicas: 3, maxSurge: 1 });
  d.metadata!.annotations = { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '7' };

  const fresh = withAnnotations({});
  assert.equal(setNewReplicaSetAnnotations(d, fresh, '1', false), true);
  assert.deepEqual(fresh.metadata!.annotations, {
    'kubernetes.io/change-cause': 'v2',
    'deployment.kubernetes.io/revision': '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });

  const reused = withAnnotations({ 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' });
  assert.equal(setNewReplicaSetAnnotations(d, reused, '5', true), true);
  assert.equal(reused.metadata!.annotations!['deployment.kubernetes.io/revision'], '5');
  assert.equal(reused.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1,2');
  assert.equal(setNewReplicaSetAnnotations(d, reused, '4', true), false, 'never lowered');

  const long = withAnnotations({ 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/revision': '30', 'deployment.kubernetes.io/revision-history': '10,20' });
  setNewReplicaSetAnnotations(d, long, '31', true, 6);
  assert.equal(long.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '20,30', 'the oldest entries go first');

  const bad = withAnnotations({ 'deployment.kubernetes.io/revision': 'x' });
  assert.equal(setNewReplicaSetAnnotations(newDeployment('foo', { replicas: 1 }), bad, '2', true), false);
  assert.equal(bad.metadata!.annotations!['deployment.kubernetes.io/revision'], 'x');
});

test('setDeploymentAnnotationsTo takes the rolled-back ReplicaSet\'s annotations but keeps the Deployment\'s own revision and apply annotations', () => {
  const d = newDeployment('foo', { replicas: 1 });
  d.metadata!.annotations = { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'new', extra: 'x' };
  setDeploymentAnnotationsTo(d, withAnnotations({ 'kubernetes.io/change-cause': 'old', 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1' }));
  assert.deepEqual(d.metadata!.annotations, { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'old' });
});

test('replicasAnnotationsNeedUpdate compares desired-replicas and max-replicas as strings', () => {
  assert.equal(replicasAnnotationsNeedUpdate(withAnnotations({ 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '12' }), 10, 12), false);
  assert.equal(replicasAnnotationsNeedUpdate(withAnnotations({ 'deployment.kubernetes.io/desired-replicas': '10' }), 10, 12), true);
  assert.equal(replicasAnnotationsNeedUpdate({ metadata: {} }, 10, 12), true);
});
