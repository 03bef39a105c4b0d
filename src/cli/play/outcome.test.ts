import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podOutcome } from './outcome.ts';

const ready = { type: 'Ready', status: 'True' };

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  return { metadata: { name: 'p', ...meta }, spec: { containers: [{ name: 'app' }], ...spec }, status };
}

describe('podOutcome', () => {
  it('podOutcome is pending while the pod initializes', () => {
    const p = pod({}, { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] });
    assert.deepEqual(podOutcome(p), { kind: 'pending' });
  });

  it('podOutcome is reached when an Always pod runs with every container ready', () => {
    const p = pod({}, { phase: 'Running', conditions: [ready], containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] });
    assert.deepEqual(podOutcome(p), { kind: 'reached', summary: 'Running (1/1 ready)' });
  });

  it('podOutcome counts ready sidecars with the app containers', () => {
    const p = pod(
      { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [ready],
        initContainerStatuses: [{ name: 'side', ready: true, state: { running: {} } }],
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
    );
    assert.deepEqual(podOutcome(p), { kind: 'reached', summary: 'Running (2/2 ready)' });
  });

  it('podOutcome waits for readiness when a Running pod is not Ready yet', () => {
    const p = pod({}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] });
    assert.equal(podOutcome(p).kind, 'pending');
  });

  it('podOutcome waits for completion when a Never pod is Running', () => {
    const p = pod({ restartPolicy: 'Never' }, { phase: 'Running', conditions: [ready], containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] });
    assert.equal(podOutcome(p).kind, 'pending');
  });

  it('podOutcome is reached when the pod Succeeded', () => {
    assert.deepEqual(podOutcome(pod({ restartPolicy: 'OnFailure' }, { phase: 'Succeeded' })), { kind: 'reached', summary: 'Succeeded' });
  });

  it('podOutcome names the failed init container when the pod Failed under Never', () => {
    const p = pod(
      { restartPolicy: 'Never', initContainers: [{ name: 'migrate' }] },
      { phase: 'Failed', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 3, reason: 'Error' } } }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] },
    );
    assert.deepEqual(podOutcome(p), { kind: 'failed', reason: 'Error', detail: 'init container "migrate" exit code 3, Error', container: 'migrate', init: true, hasLogs: true });
  });

  it('podOutcome fails on an init container in CrashLoopBackOff, with the last exit', () => {
    const p = pod(
      { initContainers: [{ name: 'migrate' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'migrate', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      },
    );
    const o = podOutcome(p);
    assert.equal(o.kind, 'failed');
    assert.equal(o.kind === 'failed' && o.detail, 'init container "migrate" is waiting: CrashLoopBackOff (last run exit code 1, Error, restarted 2 times)');
  });

  it('podOutcome fails on ErrImagePull and says there are no logs to show', () => {
    const p = pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'pull access denied' } } }] });
    const o = podOutcome(p);
    assert.equal(o.kind === 'failed' && `${o.reason}|${o.hasLogs}|${o.detail}`, 'ErrImagePull|false|container "app" is waiting: ErrImagePull (pull access denied)');
  });

  it('podOutcome does not fail on ordinary waiting reasons', () => {
    for (const reason of ['ContainerCreating', 'PodInitializing']) {
      const p = pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason } } }] });
      assert.equal(podOutcome(p).kind, 'pending', reason);
    }
  });

  it('podOutcome reports a pod-level failure reason such as DeadlineExceeded', () => {
    const p = pod({}, { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    assert.deepEqual(podOutcome(p), { kind: 'failed', reason: 'DeadlineExceeded', detail: 'Pod was active on the node longer than the specified deadline', hasLogs: false });
  });

  it('podOutcome fails when the pod is being deleted', () => {
    const p = pod({}, { phase: 'Running' }, { deletionTimestamp: '2025-01-01T00:00:00Z' });
    assert.equal(podOutcome(p).kind === 'failed' && podOutcome(p).kind, 'failed');
  });
});
