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
  sm.flush();
  assert.deepEqual(
    written[0].containerStatuses!.map((s) => s.state!.terminated!.message!.length),
    [4096, 4096, 4096],
  );
  const four = spec(4);
  sm.set(four, { phase: 'Succeeded', containerStatuses: ['c0', 'c1', 'c2', 'c3'].map((n) => terminated(n, 'm'.repeat(4096))) });
  sm.flush();
  assert.deepEqual(
    written[1].containerStatuses!.map((s) => s.state!.terminated!.message!.length),
    [3072, 3072, 3072, 3072],
  );
});

test('the status manager records a status at once and writes it on the next turn, once for several sets, and forgets a refused write', async () => {
  const written: string[] = [];
  let accept = true;
  const sm = new StatusManager({
    get: () => undefined,
    watch: () => () => {},
    updateStatus: (_ns, _name, _uid, status) => (written.push(status.phase!), accept),
    deleteFinal() {},
    bind() {},
  });
  const pod = spec(1);
  sm.set(pod, { phase: 'Pending' });
  sm.set(pod, { phase: 'Running' });
  assert.equal(sm.current(pod).phase, 'Running');
  assert.deepEqual(written, [], 'nothing written in the same turn');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(written, ['Running']);
  accept = false;
  sm.set(pod, { phase: 'Succeeded' });
  sm.flush();
  assert.equal(sm.current(pod).phase, undefined, 'a refused write leaves nothing on record');
  accept = true;
  sm.set(pod, { phase: 'Succeeded' });
  sm.flush();
  assert.deepEqual(written, ['Running', 'Succeeded', 'Succeeded']);
});
