import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsMapOf } from './endpoints-map.ts';
import { makeSlice, tcpPort } from './test-objects.ts';

test('endpointsMapOf merges slices of a Service, deduplicating by ip:port with the local copy winning, sorted', () => {
  const a = makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.2'] }, { addresses: ['10.180.0.10'] }], [tcpPort('p80', 80)], 'svc1-a');
  const b = makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.2'], nodeName: 'me', conditions: { ready: false } }], [tcpPort('p80', 80)], 'svc1-b');
  const eps = endpointsMapOf([a, b], 'me').get('ns1/svc1:p80/TCP')!;
  assert.deepEqual(
    eps.map((e) => [e.address, e.isLocal, e.ready]),
    [
      ['10.180.0.10:80', false, true],
      ['10.180.0.2:80', true, false],
    ],
  );
});

test('endpointsMapOf ignores slices without the service-name label, non-IPv4 slices and invalid ports', () => {
  const unlabeled = makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }], [tcpPort('p80', 80)]);
  delete unlabeled.metadata!.labels;
  const v6 = { ...makeSlice('ns1', 'svc1', [{ addresses: ['fd00::1'] }], [tcpPort('p80', 80)]), addressType: 'IPv6' };
  const fqdn = { ...makeSlice('ns1', 'svc1', [{ addresses: ['example.com'] }], [tcpPort('p80', 80)]), addressType: 'FQDN' };
  const port0 = makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }], [tcpPort('p80', 0)]);
  assert.equal(endpointsMapOf([unlabeled, v6, fqdn, port0], 'me').size, 0);
});

test('endpointsMapOf defaults conditions as the API documents: ready and serving unless said, terminating only if said', () => {
  const s = makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }, { addresses: ['10.180.0.2'], conditions: { ready: false, serving: true, terminating: true } }], [{ name: 'p80', port: 80 }]);
  const eps = endpointsMapOf([s], '').get('ns1/svc1:p80/TCP')!;
  assert.deepEqual(eps.map((e) => [e.ready, e.serving, e.terminating, e.isLocal]), [
    [true, true, false, false],
    [false, true, true, false],
  ]);
});
