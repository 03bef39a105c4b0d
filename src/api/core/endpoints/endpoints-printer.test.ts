import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import { endpointsPrinter, formatEndpoints } from './endpoints-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

test('formatEndpoints lists ready ip:port pairs, three at most, then how many more', () => {
  const ep: Endpoints = {
    subsets: [
      {
        addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }],
        notReadyAddresses: [{ ip: '10.244.0.9' }],
        ports: [{ port: 8080 }, { port: 9090 }],
      },
    ],
  };
  assert.equal(formatEndpoints(ep), '10.244.0.5:8080,10.244.0.6:8080,10.244.0.5:9090 + 1 more...');
  assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }] }), '10.244.0.5:80');
});

test('formatEndpoints prints <none> without subsets, bare IPs for a subset without ports, and brackets IPv6', () => {
  assert.equal(formatEndpoints({}), '<none>');
  assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }] }] }), '10.244.0.5,10.244.0.6');
  assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 53 }] }] }), '[fd00::5]:53');
  // Only not-ready addresses: nothing to show, and no "<none>" either.
  assert.equal(formatEndpoints({ subsets: [{ notReadyAddresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }] }), '');
});

test('endpointsPrinter has printEndpoints columns', () => {
  assert.deepEqual(endpointsPrinter.columns.map((c) => c.name), ['Name', 'Endpoints', 'Age']);
  const ep: Endpoints = { metadata: { name: 'web', creationTimestamp: new Date(NOW - 90_000).toISOString() } };
  assert.deepEqual(endpointsPrinter.cells(ep, NOW), ['web', '<none>', '90s']);
});
