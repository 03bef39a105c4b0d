import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodStatus } from '../../api/api.ts';
import { terminatePodStatus } from './terminate-pod.ts';

const waiting = (name: string, reason = 'PodInitializing'): ContainerStatus => ({ name, image: 'busybox:1.35', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } } });
const running = (name: string): ContainerStatus => ({ ...waiting(name), state: { running: { startedAt: '2026-03-01T10:00:00Z' } } });
const exited = (name: string, exitCode: number): ContainerStatus => ({ ...waiting(name), state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } } });

function pod(status: PodStatus, inits = ['init1', 'init2']): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { initContainers: inits.map((name) => ({ name, image: 'busybox:1.35' })), containers: [{ name: 'app', image: 'busybox:1.35' }] },
    status,
  };
}

test('terminatePodStatus fails a Pending pod killed during init and leaves what never started waiting', () => {
  const status: PodStatus = { phase: 'Pending', initContainerStatuses: [exited('init1', 143), waiting('init2')], containerStatuses: [waiting('app')] };
  const out = terminatePodStatus(pod(status), status);
  assert.equal(out.phase, 'Failed');
  assert.deepEqual(out.initContainerStatuses![0].state, { terminated: { exitCode: 143, reason: 'Error' } });
  assert.deepEqual(out.initContainerStatuses![1].state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(out.containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(status.phase, 'Pending', 'the input is not changed');
});

test('terminatePodStatus marks started init containers and, once initialized, regular containers ContainerStatusUnknown', () => {
  const unknown = { terminated: { reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', exitCode: 137 } };
  const status: PodStatus = { phase: 'Pending', initContainerStatuses: [running('init1'), waiting('init2')], containerStatuses: [waiting('app')] };
  const out = terminatePodStatus(pod(status), status);
  assert.deepEqual(out.initContainerStatuses![0].state, unknown);
  assert.deepEqual(out.containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });

  const started: PodStatus = { phase: 'Running', initContainerStatuses: [exited('init1', 0), exited('init2', 0)], containerStatuses: [waiting('app', 'CrashLoopBackOff')] };
  const done = terminatePodStatus(pod(started), started);
  assert.equal(done.phase, 'Failed');
  assert.deepEqual(done.containerStatuses![0].state, unknown);
});

test('terminatePodStatus keeps a terminal phase', () => {
  const status: PodStatus = { phase: 'Succeeded', containerStatuses: [exited('app', 0)] };
  assert.equal(terminatePodStatus(pod(status, []), status).phase, 'Succeeded');
});
