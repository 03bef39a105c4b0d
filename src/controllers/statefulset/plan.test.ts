/**
 * The sync planner case by case, in the spirit of upstream's
 * stateful_set_control_test.go: what one sync writes for a set and its pods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { completeRollingUpdate, planSync, type PlanInput } from './plan.ts';
import { newStatefulSetPod } from './identity.ts';
import { claimOwnerRefs, isClaimOwnerUpToDate, podClaimIsStale } from './retention.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const rev = (name: string): ControllerRevision => ({ metadata: { name }, revision: 1 });

function set(spec: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      serviceName: 'web',
      replicas: 3,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  };
}

type PodState = 'pending' | 'running' | 'ready' | 'failed' | 'terminating';

/** A pod of the set at `revision` in the given state. */
function pod(s: StatefulSet, ordinal: number, state: PodState, revision = 'r1'): Pod {
  const p: any = newStatefulSetPod(s, ordinal);
  p.metadata.uid = `uid-${ordinal}`;
  p.metadata!.labels = { ...p.metadata!.labels, 'controller-revision-hash': revision };
  const phase = state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running';
  const readyNow = state === 'ready' || state === 'terminating';
  (p as any).status = { phase, conditions: [{ type: 'Ready', status: readyNow ? 'True' : 'False', lastTransitionTime: '2025-12-31T23:00:00Z' }] };
  if (state === 'terminating') p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return p;
}

function input(s: StatefulSet, pods: Pod[], extra: Partial<PlanInput> = {}): PlanInput {
  return { set: s, currentSet: s, updateSet: s, current: rev('r1'), update: rev('r1'), collisionCount: 0, pods, claim: () => undefined, now: NOW, ...extra };
}

/** The plan's writes as `op name` strings, phase by phase. */
const ops = (p: ReturnType<typeof planSync>) => p.phases.map((ph) => ph.map((s) => `${s.op} ${s.pod.metadata?.name}`));

test('planSync with OrderedReady creates only the first missing pod, and nothing while a pod is not ready', () => {
  const s = set();
  assert.deepEqual(ops(planSync(input(s, []))), [['createPod web-0']]);
  assert.deepEqual(ops(planSync(input(s, [pod(s, 0, 'running')]))), [[]]);
  assert.deepEqual(ops(planSync(input(s, [pod(s, 0, 'ready')]))), [['createPod web-1']]);
  assert.deepEqual(ops(planSync(input(s, [pod(s, 0, 'ready'), pod(s, 2, 'ready')]))), [['createPod web-1']], 'a gap is filled in order');
});

test('planSync with Parallel creates every missing pod in one phase', () => {
  const s = set({ podManagementPolicy: 'Parallel' });
  const plan = planSync(input(s, [pod(s, 1, 'pending')]));
  assert.equal(plan.monotonic, false);
  assert.deepEqual(ops(plan)[0], ['createPod web-0', 'createMissingClaims web-1', 'createPod web-2']);
});

test('planSync deletes a Failed pod and waits (OrderedReady) before anything else', () => {
  const s = set();
  assert.deepEqual(ops(planSync(input(s, [pod(s, 0, 'failed'), pod(s, 1, 'ready')]))), [['deletePod web-0']]);
});

test('planSync condemns the highest ordinal first, one at a time, only once the replicas are ready', () => {
  const s = set({ replicas: 1 });
  const all = [pod(s, 0, 'ready'), pod(s, 1, 'ready'), pod(s, 2, 'ready')];
  assert.deepEqual(ops(planSync(input(s, all))), [[], [], ['deletePod web-2']]);
  assert.deepEqual(ops(planSync(input(s, [all[0], all[1], pod(s, 2, 'terminating')]))), [[], [], []], 'waits for web-2 to go');
  assert.deepEqual(ops(planSync(input(s, [pod(s, 0, 'running'), all[1], all[2]]))), [[]], 'a replica that is not ready blocks scale-down');
  const parallel = set({ replicas: 1, podManagementPolicy: 'Parallel' });
  assert.deepEqual(ops(planSync(input(parallel, all))).slice(0, 3), [[], [], ['deletePod web-2', 'deletePod web-1']]);
});

test('planSync rolls the highest-ordinal outdated pod at or above the partition, waiting for unavailable ones', () => {
  const s = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
  const r2 = { current: rev('r1'), update: rev('r2') };
  const old = [pod(s, 0, 'ready'), pod(s, 1, 'ready'), pod(s, 2, 'ready')];
  let plan = planSync(input(s, old, r2));
  assert.deepEqual(ops(plan)[3], ['deletePod web-2']);
  assert.equal(plan.status.currentReplicas, 2, 'the deleted pod no longer counts as current');
  plan = planSync(input(s, [old[0], old[1], pod(s, 2, 'ready', 'r2')], r2));
  assert.deepEqual(ops(plan)[3], ['deletePod web-1']);
  plan = planSync(input(s, [old[0], pod(s, 1, 'ready', 'r2'), pod(s, 2, 'ready', 'r2')], r2));
  assert.equal(plan.phases.length, 3, 'web-0 is below the partition');
  assert.equal(plan.status.updatedReplicas, 2);
  assert.equal(plan.status.currentReplicas, 1);
  const onDelete = set({ updateStrategy: { type: 'OnDelete' } });
  assert.equal(planSync(input(onDelete, old, r2)).phases.length, 3);
});

test('planSync creates a missing pod below the partition from the current revision, above it from the update revision', () => {
  const s = set({ podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  const updateSet = set({ podManagementPolicy: 'Parallel', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:new' }] } } });
  const plan = planSync(input(s, [], { updateSet, current: rev('r1'), update: rev('r2') }));
  const created = plan.phases[0].map((st) => [st.pod.metadata?.name, st.pod.metadata?.labels?.['controller-revision-hash'], st.pod.spec?.containers[0].image]);
  assert.deepEqual(created, [
    ['web-0', 'r1', 'nginx'],
    ['web-1', 'r1', 'nginx'],
    ['web-2', 'r2', 'nginx:new'],
  ]);
});

test('planSync only records status for a set being deleted', () => {
  const s: any = set();
  s.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  const plan = planSync(input(s, [pod(s, 0, 'ready')]));
  assert.deepEqual(plan.phases, []);
  assert.equal(plan.status.readyReplicas, 1);
});

test('planSync counts availability by minReadySeconds', () => {
  const s = set({ minReadySeconds: 3600 * 2 });
  const plan = planSync(input(s, [pod(s, 0, 'ready')]));
  assert.equal(plan.status.readyReplicas, 1);
  assert.equal(plan.status.availableReplicas, 0);
  assert.deepEqual(ops(plan), [[]], 'OrderedReady waits for web-0 to be available');
});

test('completeRollingUpdate makes the update revision current once every replica is updated and ready', () => {
  const s = set({ replicas: 2 });
  const status = { replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentReplicas: 0, currentRevision: 'r1', updateRevision: 'r2' };
  assert.deepEqual(completeRollingUpdate(s, status), { ...status, currentReplicas: 2, currentRevision: 'r2' });
  assert.deepEqual(completeRollingUpdate(s, { ...status, readyReplicas: 1 }), { ...status, readyReplicas: 1 });
});

const claim = (refs: any[] = []): PersistentVolumeClaim => ({ metadata: { name: 'data-web-1', namespace: 'default', ownerReferences: refs } });
const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
const podRef = { apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'uid-1', controller: true, blockOwnerDeletion: true };

test('retention owner references follow the policy and whether the pod is scaled away', () => {
  const cases: [string, string, number, any[]][] = [
    ['Retain', 'Retain', 3, []],
    ['Retain', 'Delete', 3, [setRef]],
    ['Delete', 'Retain', 3, []],
    ['Delete', 'Retain', 1, [podRef]],
    ['Delete', 'Delete', 3, [setRef]],
    ['Delete', 'Delete', 1, [podRef]],
  ];
  for (const [whenScaled, whenDeleted, replicas, want] of cases) {
    const s = set({ replicas, persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted } });
    const p = pod(s, 1, 'ready');
    assert.deepEqual(claimOwnerRefs(claim(), s, p), want, `${whenScaled}/${whenDeleted} replicas ${replicas}`);
    assert.equal(isClaimOwnerUpToDate(claim(want), s, p), true);
    assert.equal(isClaimOwnerUpToDate(claim(want.length ? [] : [setRef]), s, p), false);
  }
});

test('retention leaves claims with a stale reference or another controller alone, and a stale pod reference blocks the pod', () => {
  const s = set({ persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' } });
  const p = pod(s, 1, 'ready');
  assert.equal(isClaimOwnerUpToDate(claim([{ ...setRef, uid: 'old-set' }]), s, p), true);
  const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'x', controller: true };
  assert.equal(isClaimOwnerUpToDate(claim([other]), s, p), true);
  assert.deepEqual(claimOwnerRefs(claim([other, setRef]), s, p), [other]);
  const s2 = { ...s, spec: { ...s.spec!, volumeClaimTemplates: [{ metadata: { name: 'data' } }] } };
  const fresh = newStatefulSetPod(s2, 1);
  assert.equal(podClaimIsStale(s2, fresh, () => claim([{ ...podRef, uid: 'earlier-pod' }])), true);
  assert.equal(podClaimIsStale(s2, fresh, () => claim([setRef])), false);
});
