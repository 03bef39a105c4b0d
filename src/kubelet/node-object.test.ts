import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeObject } from './node-object.ts';

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
