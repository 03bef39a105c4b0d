import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineResources, nodeObject, nodeResources } from './node-object.ts';

const info = { name: 'n1', hostIP: '10.244.0.1', podCIDR: '10.244.0.0/16', runtimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.33.0+berth' };
const readyOf = (node: any) => node.status.conditions.find((c: { type: string }) => c.type === 'Ready');

test('nodeObject moves the Ready heartbeat but keeps its transition time', () => {
  const readySince = Date.parse('2026-03-01T10:00:00Z');
  const ready = readyOf(nodeObject({ ...info, now: readySince + 80_000, ready: true, readySince }));
  assert.equal(ready.status, 'True');
  assert.equal(ready.reason, 'KubeletReady');
  assert.equal(ready.lastHeartbeatTime, '2026-03-01T10:01:20Z');
  assert.equal(ready.lastTransitionTime, '2026-03-01T10:00:00Z');
});

test('nodeObject reports NotReady with the kubelet texts while the container runtime is down', () => {
  const since = Date.parse('2026-03-01T10:05:00Z');
  const ready = readyOf(nodeObject({ ...info, now: since + 1000, ready: false, readySince: since }));
  assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'KubeletNotReady', 'container runtime is down']);
  assert.equal(ready.lastTransitionTime, '2026-03-01T10:05:00Z');
});

const machine = {
  cores: 2,
  memoryBytes: 16338668n * 1024n,
  fsCapacityBytes: 105089261568n,
  hugepages: [
    { sizeBytes: 2n * 1024n * 1024n, pages: 0n },
    { sizeBytes: 1024n * 1024n * 1024n, pages: 0n },
  ],
};

test('nodeResources reports the machine as capacity and subtracts the default hard eviction thresholds for allocatable', () => {
  const { capacity, allocatable } = nodeResources(machine);
  assert.deepEqual(capacity, {
    cpu: '2',
    'ephemeral-storage': '102626232Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '16338668Ki',
    pods: '110',
  });
  // memory.available<100Mi; nodefs.available<10% with the kubelet's float32 10%.
  assert.deepEqual(allocatable, {
    cpu: '2',
    'ephemeral-storage': '94580335255',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '16236268Ki',
    pods: '110',
  });
});

test('nodeResources takes reserved huge pages out of allocatable memory', () => {
  const { capacity, allocatable } = nodeResources({ ...machine, hugepages: [{ sizeBytes: 2n * 1024n * 1024n, pages: 512n }] });
  assert.equal(capacity['hugepages-2Mi'], '1Gi');
  assert.equal(allocatable['hugepages-2Mi'], '1Gi');
  assert.equal(allocatable.memory, `${16338668 - 102400 - 1024 * 1024}Ki`);
});

test('nodeObject publishes capacity and allocatable of the machine it is given, and no taints', () => {
  const node = nodeObject({ ...info, now: 0, ready: true, readySince: 0, machine });
  assert.equal(node.status.capacity.memory, '16338668Ki');
  assert.equal(node.status.allocatable.memory, '16236268Ki');
  assert.equal(node.spec.taints, undefined);
  assert.equal(node.spec.unschedulable, undefined);
});

test('machineResources reads this machine: cores, MemTotal and the data dir filesystem', () => {
  const m = machineResources('/');
  assert.ok(m.cores >= 1);
  assert.ok(m.memoryBytes > 0n && m.memoryBytes % 1024n === 0n);
  assert.ok(m.fsCapacityBytes > 0n);
});
