import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerStatus } from '../../api/api.ts';
import { containerStatusResources } from './container-resources-status.ts';

const spec: Container = {
  name: 'app',
  image: 'busybox:1.35',
  resources: { limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '500m', memory: '64Mi', 'ephemeral-storage': '512Mi' } },
};
const status = (id: string, running: boolean, resources?: ContainerStatus['resources']): ContainerStatus => ({
  name: 'app',
  image: 'busybox:1.35',
  imageID: '',
  ready: false,
  restartCount: 0,
  containerID: `containerd://${id}`,
  state: running ? { running: { startedAt: '2026-03-01T10:00:00Z' } } : { waiting: { reason: 'ContainerCreating' } },
  ...(resources ? { resources } : {}),
});

test('container status resources come from the spec when the container has just started', () => {
  assert.deepEqual(containerStatusResources(spec, status('a', true), status('', false)), {
    limits: { cpu: '1', 'ephemeral-storage': '1Gi', memory: '128Mi' },
    requests: { cpu: '500m', 'ephemeral-storage': '512Mi', memory: '64Mi' },
  });
});

test('container status resources keep what the same running container reported before', () => {
  const before = status('a', true, { limits: { cpu: '2', memory: '256Mi' }, requests: { cpu: '1' } });
  assert.deepEqual(containerStatusResources(spec, status('a', true), before), {
    limits: { cpu: '2', 'ephemeral-storage': '1Gi', memory: '256Mi' },
    requests: { cpu: '1', 'ephemeral-storage': '512Mi', memory: '64Mi' },
  });
  const restarted = containerStatusResources(spec, status('b', true), before);
  assert.deepEqual(restarted.limits, { cpu: '1', 'ephemeral-storage': '1Gi', memory: '128Mi' }, 'a new container starts from the spec again');
});

test('container status resources without a previous status have only what needs no history', () => {
  assert.deepEqual(containerStatusResources(spec, status('a', true), undefined), {
    limits: { 'ephemeral-storage': '1Gi' },
    requests: { 'ephemeral-storage': '512Mi', memory: '64Mi' },
  });
  assert.deepEqual(containerStatusResources({ name: 'bare', image: 'busybox:1.35' }, status('a', true), undefined), {});
});
