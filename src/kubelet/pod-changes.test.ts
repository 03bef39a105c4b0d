import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedBeyondStatus } from './kubelet.ts';

const pod = (): any => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u', resourceVersion: '5', labels: { a: '1' } },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
  status: { phase: 'Pending' },
});

test('changedBeyondStatus ignores status writes and resourceVersion bumps', () => {
  const a = pod();
  const b = pod();
  b.metadata!.resourceVersion = '6';
  b.status = { phase: 'Running' };
  assert.equal(changedBeyondStatus(a, b), false);
});

test('changedBeyondStatus notices spec, label and deletion changes', () => {
  const a = pod();
  const image = pod();
  image.spec!.containers[0].image = 'busybox:1.36';
  const labels = pod();
  labels.metadata!.labels = { a: '2' };
  const deleting = pod();
  deleting.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
  for (const b of [image, labels, deleting]) assert.equal(changedBeyondStatus(a, b), true);
});
