import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodStatus } from '../../api/api.ts';
import { StatusManager } from './status-manager.ts';
import { limitTerminationMessages } from './termination-message-budget.ts';

const spec = (n: number, init = 0): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: {
    containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'busybox:1.35' })),
    initContainers: Array.from({ length: init }, (_, i) => ({ name: `i${i}`, image: 'busybox:1.35' })),
  },
});

const terminated = (name: string, message: string, last = ''): ContainerStatus => ({
  name,
  image: 'busybox:1.35',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode: 0, message } },
  ...(last ? { lastState: { terminated: { exitCode: 1, message: last } } } : {}),
});

test('termination messages share 12 KiB between the pod containers, each keeping its start', () => {
  const status: PodStatus = {
    initContainerStatuses: [terminated('i0', 'a'.repeat(4096)), terminated('i1', 'short')],
    containerStatuses: [terminated('c0', `head${'b'.repeat(4092)}`, 'c'.repeat(4096)), terminated('c1', 'd'.repeat(2048)), terminated('c2', '')],
  };
  limitTerminationMessages(spec(4, 2), status);
  assert.equal(status.initContainerStatuses![0].state!.terminated!.message, 'a'.repeat(2048));
  assert.equal(status.initContainerStatuses![1].state!.terminated!.message, 'short');
  assert.equal(status.containerStatuses![0].state!.terminated!.message, `head${'b'.repeat(2044)}`);
  assert.equal(status.containerStatuses![0].lastState!.terminated!.message, 'c'.repeat(2048));
  assert.equal(status.containerStatuses![1].state!.terminated!.message, 'd'.repeat(2048));
  assert.equal(status.containerStatuses![2].state!.terminated!.message, '');
});

test('termination messages of a one-container pod keep their 4096 bytes', () => {
  const status: PodStatus = { containerStatuses: [terminated('c0', 'x'.repeat(4096))] };
  limitTerminationMessages(spec(1), status);
  assert.equal(status.containerStatuses![0].state!.terminated!.message, 'x'.repeat(4096));
});

test('the status manager writes termination messages cut to the pod budget', () => {
  const written: PodStatus[] = [];
  const sm = new StatusManager({
    get: () => undefined,
    watch: () => () => {},
    updateStatus: (_ns, _name, _uid, status) => written.push(status) > 0,
    deleteFinal() {},
    bind() {},
  });
  const pod = spec(3);
  sm.set(pod, { phase: 'Succeeded', containerStatuses: ['c0', 'c1', 'c2'].map((n) => terminated(n, 'm'.repeat(4096))) });
  assert.deepEqual(
    written[0].containerStatuses!.map((s) => s.state!.terminated!.message!.length),
    [4096, 4096, 4096],
  );
  const four = spec(4);
  sm.set(four, { phase: 'Succeeded', containerStatuses: ['c0', 'c1', 'c2', 'c3'].map((n) => terminated(n, 'm'.repeat(4096))) });
  assert.deepEqual(
    written[1].containerStatuses!.map((s) => s.state!.terminated!.message!.length),
    [3072, 3072, 3072, 3072],
  );
});
