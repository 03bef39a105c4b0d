import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Stored } from './types.ts';
import { addFinalizer, keepAllButStatus } from './status-strategy.ts';

test('keepAllButStatus takes spec and metadata from the stored object and the writer resourceVersion', () => {
  const old: Stored<PersistentVolume> = { metadata: { name: 'pv', resourceVersion: '5', labels: { a: 'b' } }, spec: { capacity: { storage: '1Gi' } }, status: { phase: 'Pending' } };
  const obj: Stored<PersistentVolume> = { metadata: { name: 'pv', resourceVersion: '4', labels: { x: 'y' } }, spec: { capacity: { storage: '9Gi' } }, status: { phase: 'Bound' } };
  keepAllButStatus(obj, old);
  assert.deepEqual(obj, { metadata: { name: 'pv', resourceVersion: '4', labels: { a: 'b' } }, spec: { capacity: { storage: '1Gi' } }, status: { phase: 'Bound' } });
});

test('addFinalizer appends a finalizer only when missing', () => {
  const obj: Stored<PersistentVolume> = { metadata: { name: 'pv', finalizers: ['other'] } };
  addFinalizer(obj, 'kubernetes.io/pv-protection');
  addFinalizer(obj, 'kubernetes.io/pv-protection');
  assert.deepEqual(obj.metadata.finalizers, ['other', 'kubernetes.io/pv-protection']);
});
