import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Stored } from '../../types.ts';
import { endpointSliceStrategy } from './endpointslice-strategy.ts';

function slice(): Stored<EndpointSlice> {
  return {
    metadata: { name: 'web-x7k2p', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'], deprecatedTopology: { 'kubernetes.io/hostname': 'node' }, hints: { forZones: [{ name: 'a' }] } }],
    ports: [{ port: 8080 }],
  };
}

test('prepareForCreate starts at generation 1, defaults port name and protocol, and drops deprecatedTopology written through v1', () => {
  const s = slice();
  (s.endpoints[0].hints as { forNodes?: unknown }).forNodes = [{ name: 'node' }];
  endpointSliceStrategy.prepareForCreate(s, { now: 0 });
  assert.equal(s.metadata.generation, 1);
  assert.deepEqual(s.ports, [{ port: 8080, name: '', protocol: 'TCP' }]);
  // conditions is a struct without omitempty in Go: always encoded; forNodes waits for its feature gate.
  assert.deepEqual(s.endpoints, [{ addresses: ['10.244.0.5'], conditions: {}, hints: { forZones: [{ name: 'a' }] } }]);
});

test('prepareForCreate encodes absent endpoints and ports as null, as Go does for fields without omitempty', () => {
  const s: Stored<EndpointSlice> = { metadata: { name: 'empty' }, addressType: 'IPv4' } as Stored<EndpointSlice>;
  endpointSliceStrategy.prepareForCreate(s, { now: 0 });
  assert.equal(s.endpoints, null);
  assert.equal(s.ports, null);
});

test('prepareForUpdate bumps the generation for a change beyond metadata or in labels, not for annotations', () => {
  const old = slice();
  endpointSliceStrategy.prepareForCreate(old, { now: 0 });
  const annotated = structuredClone(old);
  annotated.metadata.annotations = { note: 'x' };
  endpointSliceStrategy.prepareForUpdate(annotated, old);
  assert.equal(annotated.metadata.generation, 1);
  const moved = structuredClone(old);
  moved.endpoints[0].addresses = ['10.244.0.6'];
  endpointSliceStrategy.prepareForUpdate(moved, old);
  assert.equal(moved.metadata.generation, 2);
  const relabelled = structuredClone(old);
  relabelled.metadata.labels = { 'kubernetes.io/service-name': 'api' };
  endpointSliceStrategy.prepareForUpdate(relabelled, old);
  assert.equal(relabelled.metadata.generation, 2);
});
