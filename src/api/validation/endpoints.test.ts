/**
 * Invalid Endpoints and EndpointSlices and the exact errors kube-apiserver
 * v1.33 returns for them (validation.go `ValidateEndpoints`;
 * `pkg/apis/discovery/validation` `ValidateEndpointSlice`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import type { Obj } from './field-errors.ts';
import { LABEL_MSG } from './pod-fixtures.ts';
import { validateEndpoints, validateEndpointSlice, validateEndpointSliceUpdate, validateEndpointsUpdate } from './validation.ts';

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function endpoints(mutate: (e: Obj) => void = () => {}): Obj {
  const e: Obj = {
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  };
  mutate(e);
  return e;
}

function slice(mutate: (s: Obj) => void = () => {}): Obj {
  const s: Obj = {
    metadata: { name: 'web-x7k2p', namespace: 'default', resourceVersion: '1', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
    ports: [{ name: '', port: 8080, protocol: 'TCP' }],
  };
  mutate(s);
  return s;
}

const endpointsCases: { name: string; value: Obj; want: string[] }[] = [
  { name: 'valid', value: endpoints(), want: [] },
  {
    name: 'a subset has no addresses',
    value: endpoints((e) => (e.subsets[0].addresses = [])),
    want: ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`'],
  },
  {
    name: 'an address is not an IP (both checks report it)',
    value: endpoints((e) => (e.subsets[0].addresses[0].ip = 'foo')),
    want: [`subsets[0].addresses[0].ip: Invalid value: "foo": ${IP_MSG}`, 'subsets[0].addresses[0].ip: Invalid value: "foo": must be a valid IP address'],
  },
  {
    name: 'a not-ready address is link-local',
    value: endpoints((e) => (e.subsets[0].notReadyAddresses = [{ ip: '169.254.169.254' }])),
    want: ['subsets[0].notReadyAddresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
  },
  {
    name: 'a hostname is not a DNS label',
    value: endpoints((e) => (e.subsets[0].addresses[0].hostname = 'Web')),
    want: [`subsets[0].addresses[0].hostname: Invalid value: "Web": ${LABEL_MSG}`],
  },
  {
    name: 'two ports have no names and one has no protocol',
    value: endpoints((e) => e.subsets[0].ports.push({ port: 9090 })),
    want: ['subsets[0].ports[0].name: Required value', 'subsets[0].ports[1].name: Required value', 'subsets[0].ports[1].protocol: Required value'],
  },
  {
    name: 'a port is out of range',
    value: endpoints((e) => (e.subsets[0].ports[0].port = 70000)),
    want: ['subsets[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  },
];

for (const c of endpointsCases) {
  test(`validateEndpoints reports the Kubernetes errors when ${c.name}`, () => {
    assert.deepEqual(validateEndpoints(c.value).map(renderFieldError), c.want);
  });
}

test('validateEndpointsUpdate lets an address move to another node', () => {
  const moved = endpoints((e) => (e.subsets[0].addresses[0].nodeName = 'other'));
  assert.deepEqual(validateEndpointsUpdate(moved, endpoints()).map(renderFieldError), []);
});

const sliceCases: { name: string; value: Obj; want: string[] }[] = [
  { name: 'valid', value: slice(), want: [] },
  { name: 'the address type is missing', value: slice((s) => delete s.addressType), want: ['addressType: Required value'] },
  {
    name: 'the address type is the deprecated IP',
    value: slice((s) => (s.addressType = 'IP')),
    want: ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'],
  },
  {
    name: 'an endpoint has no address',
    value: slice((s) => (s.endpoints[0].addresses = [])),
    want: ['endpoints[0].addresses: Required value: must contain at least 1 address'],
  },
  {
    name: 'an IPv4 slice holds an IPv6 address',
    value: slice((s) => (s.endpoints[0].addresses = ['fd00::1'])),
    want: ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
  },
  {
    name: 'an address is unspecified',
    value: slice((s) => (s.endpoints[0].addresses = ['0.0.0.0'])),
    want: ['endpoints[0].addresses[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'],
  },
  {
    name: 'an FQDN has one label',
    value: slice((s) => {
      s.addressType = 'FQDN';
      s.endpoints[0].addresses = ['db'];
    }),
    want: ['endpoints[0].addresses[0]: Invalid value: "db": should be a domain with at least two segments separated by dots'],
  },
  {
    name: 'two ports have the same (empty) name and one an unknown protocol',
    value: slice((s) => s.ports.push({ name: '', port: 9090, protocol: 'HTTP' })),
    want: ['ports[1].name: Duplicate value: ""', 'ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  },
  {
    name: 'a zone hint is not a label value',
    value: slice((s) => (s.endpoints[0].hints = { forZones: [{ name: 'a b' }, { name: 'a b' }] })),
    want: [
      "endpoints[0].hints.forZones[0].name: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      'endpoints[0].hints.forZones[1].name: Duplicate value: "a b"',
      "endpoints[0].hints.forZones[1].name: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  },
  {
    name: 'there are more than 1000 endpoints',
    value: slice((s) => (s.endpoints = Array.from({ length: 1001 }, () => ({ addresses: ['10.244.0.5'] })))),
    want: ['endpoints: Too many: 1001: must have at most 1000 items'],
  },
];

for (const c of sliceCases) {
  test(`validateEndpointSlice reports the Kubernetes errors when ${c.name}`, () => {
    assert.deepEqual(validateEndpointSlice(c.value).map(renderFieldError), c.want);
  });
}

test('validateEndpointSliceUpdate refuses a change of address type', () => {
  const v6 = slice((s) => {
    s.addressType = 'IPv6';
    s.endpoints[0].addresses = ['fd00::5'];
  });
  assert.deepEqual(validateEndpointSliceUpdate(v6, slice()).map(renderFieldError), ['addressType: Invalid value: "IPv6": field is immutable']);
});
