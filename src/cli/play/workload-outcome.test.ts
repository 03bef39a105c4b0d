import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWorkload, workloadOutcome, workloadSelector } from './workload-outcome.ts';
import { podOutcome } from './outcome.ts';

const deploy = (status: any, extra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation: 2, ...(extra.metadata ?? {}) },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, ...(extra.spec ?? {}) },
  status,
});

test('workloadOutcome of a Deployment waits with kubectl rollout status messages until every replica is updated and available', () => {
  assert.deepEqual(workloadOutcome(deploy({ observedGeneration: 1 }), []), { kind: 'pending', waiting: 'Waiting for deployment spec update to be observed...' });
  assert.deepEqual(workloadOutcome(deploy({ observedGeneration: 2, updatedReplicas: 1, replicas: 2 }), []), {
    kind: 'pending',
    waiting: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
  });
  assert.deepEqual(workloadOutcome(deploy({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 }), []), {
    kind: 'pending',
    waiting: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
  });
  assert.deepEqual(workloadOutcome(deploy({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 }), []), {
    kind: 'pending',
    waiting: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
  });
  assert.deepEqual(workloadOutcome(deploy({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), []), {
    kind: 'reached',
    summary: 'successfully rolled out (3/3 available)',
  });
});

test('workloadOutcome of a Deployment fails when its progress deadline is exceeded', () => {
  const d = deploy({
    observedGeneration: 2,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' }],
  });
  assert.deepEqual(workloadOutcome(d, []), {
    kind: 'failed',
    reason: 'ProgressDeadlineExceeded',
    detail: 'deployment "web" exceeded its progress deadline: ReplicaSet "web-abc" has timed out progressing.',
  });
});

test('workloadOutcome fails with the pod\'s reason when a pod of the workload crash-loops or cannot be scheduled, but not for pods being deleted', () => {
  const crashing = {
    metadata: { name: 'web-1' },
    spec: { containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 3 } }, restartCount: 2 }],
    },
  };
  const pending = deploy({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 });
  const out = workloadOutcome(pending, [{ name: 'web-1', pod: crashing, outcome: podOutcome(crashing) }]);
  assert.equal(out.kind, 'failed');
  assert.equal(out.kind === 'failed' && out.reason, 'CrashLoopBackOff');
  assert.match(out.kind === 'failed' ? out.detail : '', /^pod\/web-1: container "app" is waiting: CrashLoopBackOff \(last run exit code 3, restarted 2 times\)$/);

  const terminating = { ...crashing, metadata: { name: 'web-1', deletionTimestamp: '2026-01-01T00:00:00Z' } };
  assert.equal(workloadOutcome(pending, [{ name: 'web-1', pod: terminating, outcome: podOutcome(terminating) }]).kind, 'pending');

  const unschedulable = {
    metadata: { name: 'web-2' },
    spec: { containers: [{ name: 'app' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] },
  };
  assert.deepEqual(workloadOutcome(pending, [{ name: 'web-2', pod: unschedulable, outcome: podOutcome(unschedulable) }]), {
    kind: 'failed',
    reason: 'Unschedulable',
    detail: 'pod/web-2 cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu.',
  });
});

test('workloadOutcome of a DaemonSet follows rollout status for RollingUpdate and availability for OnDelete', () => {
  const ds = (status: any, updateStrategy: any = { type: 'RollingUpdate' }) => ({ kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 }, spec: { updateStrategy }, status });
  assert.deepEqual(workloadOutcome(ds({}), []), { kind: 'pending', waiting: 'Waiting for daemon set spec update to be observed...' });
  assert.deepEqual(workloadOutcome(ds({ observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 0 }), []), {
    kind: 'pending',
    waiting: 'Waiting for daemon set "agent" rollout to finish: 0 out of 1 new pods have been updated...',
  });
  assert.deepEqual(workloadOutcome(ds({ observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 0 }), []), {
    kind: 'pending',
    waiting: 'Waiting for daemon set "agent" rollout to finish: 0 of 1 updated pods are available...',
  });
  assert.equal(workloadOutcome(ds({ observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 }), []).kind, 'reached');
  assert.equal(workloadOutcome(ds({ observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 0, numberAvailable: 1 }, { type: 'OnDelete' }), []).kind, 'reached');
});

test('isWorkload and workloadSelector know apps/v1 Deployments and DaemonSets and their selectors', () => {
  assert.equal(isWorkload({ apiVersion: 'apps/v1', kind: 'Deployment' }), true);
  assert.equal(isWorkload({ apiVersion: 'apps/v1', kind: 'DaemonSet' }), true);
  assert.equal(isWorkload({ apiVersion: 'v1', kind: 'Pod' }), false);
  const sel = workloadSelector(deploy({}));
  assert.equal(sel.matches({ app: 'web', 'pod-template-hash': 'x' }), true);
  assert.equal(sel.matches({ app: 'db' }), false);
  assert.equal(workloadSelector({ spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } }).matches({ a: '1' }), false);
});

const sts = (status: any, spec: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', generation: 2 },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, ...spec },
  status,
});

test('workloadOutcome of a StatefulSet waits as kubectl rollout status does until every replica is ready and those above the partition updated', () => {
  assert.ok(isWorkload(sts({})));
  assert.deepEqual(workloadOutcome(sts({ replicas: 0 }), []), { kind: 'pending', waiting: 'Waiting for statefulset spec update to be observed...' });
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 1, readyReplicas: 1 }), []), { kind: 'pending', waiting: 'Waiting for 1 pods to be ready...' });
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 1 }), []), {
    kind: 'pending',
    waiting: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
  });
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 1 }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }), []), {
    kind: 'reached',
    summary: 'successfully rolled out (2/2 ready)',
  });
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 2 }), []), { kind: 'reached', summary: 'successfully rolled out (2/2 ready)' });
});

test('workloadOutcome of an OnDelete StatefulSet is reached once its replicas are ready, whatever their revision', () => {
  const onDelete = { updateStrategy: { type: 'OnDelete' } };
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 2, readyReplicas: 1 }, onDelete), []), { kind: 'pending', waiting: 'Waiting for 1 pods to be ready...' });
  assert.deepEqual(workloadOutcome(sts({ observedGeneration: 2, replicas: 2, readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' }, onDelete), []), {
    kind: 'reached',
    summary: 'successfully rolled out (2/2 ready)',
  });
});

test('workloadOutcome of a Job follows its Complete and Failed conditions and fails early only for pods that cannot start', () => {
  const job = (status: any) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { completions: 3 }, status });
  assert.deepEqual(workloadOutcome(job({ succeeded: 1, failed: 1 }), []), { kind: 'pending', waiting: 'Waiting for job "migrate" to complete: 1 of 3 completions succeeded, 1 failed...' });
  assert.deepEqual(workloadOutcome(job({ succeeded: 3, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }), []), {
    kind: 'reached',
    summary: 'completed (3/3)',
  });
  assert.deepEqual(workloadOutcome(job({ failed: 2, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] }), []), {
    kind: 'failed',
    reason: 'BackoffLimitExceeded',
    detail: 'job "migrate" failed: Job has reached the specified backoff limit',
  });
  const failedPod = { metadata: { name: 'migrate-a' }, spec: { restartPolicy: 'Never', containers: [{ name: 'm' }] }, status: { phase: 'Failed', containerStatuses: [{ name: 'm', state: { terminated: { exitCode: 1, reason: 'Error' } } }] } };
  assert.equal(workloadOutcome(job({ failed: 1 }), [{ name: 'migrate-a', pod: failedPod, outcome: podOutcome(failedPod) }]).kind, 'pending', 'a failed attempt is retried by the Job');
  const pulling = { metadata: { name: 'migrate-b' }, spec: { containers: [{ name: 'm' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'm', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"' } } }] } };
  const out = workloadOutcome(job({}), [{ name: 'migrate-b', pod: pulling, outcome: podOutcome(pulling) }]);
  assert.equal(out.kind === 'failed' && out.reason, 'ImagePullBackOff');
});
