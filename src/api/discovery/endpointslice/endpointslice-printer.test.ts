import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { endpointSlicePrinter, formatDiscoveryEndpoints, formatDiscoveryPorts } from './endpointslice-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

test('formatDiscoveryPorts prints numbers, else names, else * (all ports); <unset> for none', () => {
  assert.equal(formatDiscoveryPorts([{ port: 80 }, { port: 443 }]), '80,443');
  assert.equal(formatDiscoveryPorts([{ name: 'http' }, {}]), 'http,*');
  assert.equal(formatDiscoveryPorts(null), '<unset>');
  assert.equal(formatDiscoveryPorts([{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }, { port: 5 }]), '1,2,3 + 2 more...');
});

test('formatDiscoveryEndpoints lists every address of every endpoint, ready or not', () => {
  const endpoints = [{ addresses: ['10.244.0.5'], conditions: { ready: false } }, { addresses: ['10.244.0.6', '10.244.0.7'] }, { addresses: ['10.244.0.8'] }];
  assert.equal(formatDiscoveryEndpoints(endpoints), '10.244.0.5,10.244.0.6,10.244.0.7 + 1 more...');
  assert.equal(formatDiscoveryEndpoints([]), '<unset>');
});

test('endpointSlicePrinter has printEndpointSlice columns', () => {
  assert.deepEqual(endpointSlicePrinter.columns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  const slice: EndpointSlice = {
    metadata: { name: 'web-x7k2p', creationTimestamp: new Date(NOW - 120_000).toISOString() },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'] }],
    ports: [{ name: '', port: 8080, protocol: 'TCP' }],
  };
  assert.deepEqual(endpointSlicePrinter.cells(slice, NOW), ['web-x7k2p', 'IPv4', '8080', '10.244.0.5', '2m']);
});
