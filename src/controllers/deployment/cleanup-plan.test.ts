import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { planCleanup } from './cleanup-plan.ts';
import { maxInt32 } from './deployment-spec.ts';
import { newDeployment, rs } from './test-objects.ts';

const withStatus = (name: string, spec: number, status: number): ReplicaSet => rs(name, spec, '2016-05-20T00:00:00Z', { statusReplicas: status });

test('planCleanup deletes the oldest old ReplicaSets beyond revisionHistoryLimit that have no replicas (TestDeploymentController_cleanupDeployment)', () => {
  const deleted: ReplicaSet = { ...withStatus('foo-1', 0, 0), metadata: { ...withStatus('foo-1', 0, 0).metadata, deletionTimestamp: '2016-05-20T00:00:00Z' } };
  const cases: [ReplicaSet[], number, number][] = [
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0), withStatus('foo-3', 0, 0)], 1, 2],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 1), withStatus('foo-3', 1, 0), withStatus('foo-4', 1, 1)], 0, 1],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0)], 0, 2],
    [[withStatus('foo-1', 1, 1), withStatus('foo-2', 1, 1)], 0, 0],
    [[deleted], 0, 0],
    [[withStatus('foo-1', 0, 0), withStatus('foo-2', 0, 0), withStatus('foo-3', 0, 0)], maxInt32, 0],
  ];
  for (const [olds, limit, want] of cases) {
    const d = newDeployment('foo', { replicas: 1, revisionHistoryLimit: limit, selector: { foo: 'bar' } });
    assert.equal(planCleanup(olds, d).length, want, `${olds.map((r) => r.metadata?.name)} limit ${limit}`);
  }
});

test('planCleanup deletes by revision, lowest first, and spares a ReplicaSet whose latest spec is not yet observed', () => {
  const withRev = (name: string, rev: string) => rs(name, 0, '2016-05-20T00:00:00Z', { annotations: { 'deployment.kubernetes.io/revision': rev } });
  const d = newDeployment('foo', { replicas: 1, revisionHistoryLimit: 1 });
  assert.deepEqual(planCleanup([withRev('c', '10'), withRev('a', '9'), withRev('b', '2')], d).map((r) => r.metadata?.name), ['b', 'a']);
  const unobserved: ReplicaSet = { ...withRev('u', '1'), metadata: { ...withRev('u', '1').metadata, generation: 2 } };
  assert.deepEqual(planCleanup([unobserved, withRev('v', '2')], d).map((r) => r.metadata?.name), []);
});
