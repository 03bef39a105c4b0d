import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeObject } from './node-object.ts';

test('nodeObject moves the Ready heartbeat but keeps its transition time', () => {
  const info = { name: 'n1', hostIP: '10.244.0.1', podCIDR: '10.244.0.0/16', runtimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.33.0+berth' };
  const readySince = Date.parse('2026-03-01T10:00:00Z');
  const later = nodeObject({ ...info, now: readySince + 80_000, readySince });
  const ready = later.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.status, 'True');
  assert.equal(ready.lastHeartbeatTime, '2026-03-01T10:01:20Z');
  assert.equal(ready.lastTransitionTime, '2026-03-01T10:00:00Z');
});
