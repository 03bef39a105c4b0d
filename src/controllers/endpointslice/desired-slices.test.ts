import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { selects } from '../service-pods.ts';
import { desiredSlices } from './desired-slices.ts';

const svc = { metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as Service;
const pod = (name: string, ip: string, ready: boolean, deleting = false): Pod =>
  ({
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'web' }, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'i' }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }) as Pod;

test('desiredSlices sets ready, serving and terminating as the EndpointSlice controller does', () => {
  const slices = desiredSlices(svc, [pod('a', '10.244.0.2', true), pod('b', '10.244.0.3', false), pod('c', '10.244.0.4', true, true)], (p) => selects(svc, p));
  assert.equal(slices.length, 1);
  assert.deepEqual(slices[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(
    slices[0].endpoints.map((e) => [e.addresses[0], e.conditions]),
    [
      ['10.244.0.2', { ready: true, serving: true, terminating: false }],
      ['10.244.0.3', { ready: false, serving: false, terminating: false }],
      ['10.244.0.4', { ready: false, serving: true, terminating: true }],
    ],
  );
  assert.deepEqual(slices[0].endpoints[0].targetRef, { kind: 'Pod', namespace: 'shop', name: 'a', uid: 'uid-a' });
});

test('desiredSlices splits at 100 endpoints per slice', () => {
  const pods = Array.from({ length: 230 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, `10.244.1.${i % 250}`, true));
  assert.deepEqual(desiredSlices(svc, pods, (p) => selects(svc, p)).map((s) => s.endpoints.length), [100, 100, 30]);
});
