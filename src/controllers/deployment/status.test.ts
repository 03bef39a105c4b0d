import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { maxInt32 } from './deployment-spec.ts';
import { progressCheckDelayMs, rolloutStatus } from './status.ts';
import { rs } from './test-objects.ts';

const testTime = '2017-02-15T18:49:00Z';
const at = (t: string) => Date.parse(t);

/** progress_test.go currentDeployment: Recreate, observed. */
function currentDeployment(pds: number, replicas: number, statusReplicas: number, updated: number, available: number, conditions: DeploymentCondition[]): Deployment {
  return {
    metadata: { name: 'progress-test' },
    spec: { progressDeadlineSeconds: pds, replicas, selector: {}, template: {}, strategy: { type: 'Recreate' } },
    status: { replicas: statusReplicas, updatedReplicas: updated, availableReplicas: available, conditions },
  };
}

const withAvailable = (name: string, spec: number, status: number, available: number): ReplicaSet => rs(name, spec, undefined, { statusReplicas: status, available });
const failedTimedOut: DeploymentCondition = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' };
const newRSAvailable: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime };
const replicaSetUpdated: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: testTime, lastTransitionTime: testTime };

test('progressCheckDelayMs looks again a second after the deadline of a stuck rollout, at once within a second of it, never for complete or failed ones (TestRequeueStuckDeployment)', () => {
  const stuck: DeploymentCondition[] = [{ type: 'Progressing', status: 'True', lastUpdateTime: testTime }];
  const status = (r: number, u: number, a: number): DeploymentStatus => ({ replicas: r, updatedReplicas: u, availableReplicas: a });
  const cases: [string, Deployment, DeploymentStatus, number, number | undefined][] = [
    // upstream's "nil progressDeadlineSeconds" case cannot occur: apps/v1 defaults it to 600.
    ['infinite progressDeadlineSeconds', currentDeployment(maxInt32, 4, 3, 3, 2, []), status(3, 3, 2), at(testTime), undefined],
    ['no progressing condition found', currentDeployment(60, 4, 3, 3, 2, []), status(3, 3, 2), at(testTime), undefined],
    ['complete deployment', currentDeployment(60, 3, 3, 3, 3, []), status(3, 3, 3), at(testTime), undefined],
    ['already failed deployment', currentDeployment(60, 3, 3, 3, 0, [failedTimedOut]), status(3, 3, 0), at(testTime), undefined],
    ['stuck deployment - 30s', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), at('2017-02-15T18:49:30Z'), 31_000],
    ['stuck deployment - 1s', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), at('2017-02-15T18:49:59Z'), 2_000],
    ['less than a second => now', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), at('2017-02-15T18:49:59Z') + 1, 5],
    ['failed deployment - now', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), at('2017-02-15T18:50:00Z'), 5],
    ['failed deployment - 60s after deadline', currentDeployment(60, 3, 3, 3, 1, stuck), status(3, 3, 1), at('2017-02-15T18:51:00Z'), 5],
  ];
  for (const [name, d, s, now, want] of cases) assert.equal(progressCheckDelayMs(d, s, now), want, name);
});

test('rolloutStatus sets the Progressing condition as syncRolloutStatus does (TestSyncRolloutStatus)', () => {
  const now = at('2017-02-15T18:55:00Z');
  const cases: [string, Deployment, ReplicaSet[], ReplicaSet | undefined, [string, string] | undefined, { update?: boolean; transition?: boolean }][] = [
    ['no Progress Deadline removes Progressing', currentDeployment(maxInt32, 3, 2, 2, 2, [replicaSetUpdated]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), undefined, {}],
    ['only one active ReplicaSet: no estimate', currentDeployment(60, 3, 3, 3, 3, [newRSAvailable]), [withAvailable('bar', 3, 3, 3)], undefined, ['True', 'NewReplicaSetAvailable'], { update: true, transition: true }],
    ['progressing keeps lastTransitionTime of Progressing=True', currentDeployment(60, 3, 2, 2, 2, [replicaSetUpdated]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), ['True', 'ReplicaSetUpdated'], { transition: true }],
    ['progressing after Progressing=False', currentDeployment(60, 3, 2, 2, 2, [failedTimedOut]), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), ['True', 'ReplicaSetUpdated'], {}],
    ['progressing creates the condition', currentDeployment(60, 3, 2, 2, 2, []), [withAvailable('bar', 0, 1, 1)], withAvailable('foo', 3, 2, 2), ['True', 'ReplicaSetUpdated'], {}],
    ['complete keeps lastTransitionTime of Progressing=True', currentDeployment(60, 3, 3, 3, 3, [replicaSetUpdated]), [], withAvailable('foo', 3, 3, 3), ['True', 'NewReplicaSetAvailable'], { transition: true }],
    ['complete after Progressing=False', currentDeployment(60, 3, 3, 3, 3, [failedTimedOut]), [], withAvailable('foo', 3, 3, 3), ['True', 'NewReplicaSetAvailable'], {}],
    ['complete creates the condition', currentDeployment(60, 3, 3, 3, 3, []), [], withAvailable('foo', 3, 3, 3), ['True', 'NewReplicaSetAvailable'], {}],
    ['complete with no new ReplicaSet', currentDeployment(60, 0, 3, 3, 3, [replicaSetUpdated]), [withAvailable('foo', 0, 0, 0)], undefined, ['True', 'NewReplicaSetAvailable'], {}],
    ['timed out past the deadline', currentDeployment(60, 3, 2, 2, 2, [replicaSetUpdated]), [], withAvailable('foo', 3, 2, 2), ['False', 'ProgressDeadlineExceeded'], {}],
    ['already timed out stays so', currentDeployment(60, 3, 2, 2, 2, [failedTimedOut]), [], withAvailable('foo', 3, 2, 2), ['False', 'ProgressDeadlineExceeded'], {}],
  ];
  for (const [name, d, others, newRS, want, kept] of cases) {
    const s = rolloutStatus(newRS ? [...others, newRS] : others, newRS, d, now);
    const c = s.conditions?.find((x) => x.type === 'Progressing');
    if (!want) {
      assert.equal(c, undefined, name);
      continue;
    }
    assert.deepEqual([c?.status, c?.reason], want, name);
    if (kept.update) assert.equal(c?.lastUpdateTime, testTime, `${name}: lastUpdateTime`);
    if (kept.transition) assert.equal(c?.lastTransitionTime, testTime, `${name}: lastTransitionTime`);
  }
});

test('rolloutStatus messages name the new ReplicaSet, or the Deployment without one', () => {
  const now = at('2017-02-15T18:55:00Z');
  const d = currentDeployment(60, 3, 2, 2, 2, [replicaSetUpdated]);
  assert.equal(rolloutStatus([withAvailable('web-1', 3, 2, 2)], withAvailable('web-1', 3, 2, 2), d, now).conditions?.find((c) => c.type === 'Progressing')?.message, 'ReplicaSet "web-1" has timed out progressing.');
  assert.equal(rolloutStatus([], undefined, d, now).conditions?.find((c) => c.type === 'Progressing')?.message, 'Deployment "progress-test" has timed out progressing.');
});
