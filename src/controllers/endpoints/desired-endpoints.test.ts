import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { desiredSubsets, endpointsLabels } from './desired-endpoints.ts';
import { selects } from '../service-pods.ts';

const svc = (spec: Record<string, unknown> = {}): Service =>
  ({ metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } }) as Service;
const pod = (name: string, ip: string, opts: { ready?: boolean; deleting?: boolean; phase?: string; httpPort?: number; labels?: Record<string, string>; hostname?: string; subdomain?: string } = {}): Pod =>
  ({
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'node1',
      ...(opts.hostname ? { hostname: opts.hostname, subdomain: opts.subdomain } : {}),
      containers: [{ name: 'c', image: 'i', ports: opts.httpPort ? [{ name: 'http', containerPort: opts.httpPort }] : [] }],
    },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  }) as Pod;

test('desiredSubsets splits ready and not-ready pods, resolves named target ports per pod, and drops pods without the port', () => {
  const s = svc();
  const pods = [pod('a', '10.244.0.11', { httpPort: 8080 }), pod('b', '10.244.0.9', { httpPort: 8080, ready: false }), pod('c', '10.244.0.12'), pod('d', '10.244.0.13', { httpPort: 9090 })];
  const subsets = desiredSubsets(s, pods, (p) => selects(s, p));
  assert.deepEqual(
    subsets.map((x) => ({ ready: x.addresses?.map((a) => a.ip), notReady: x.notReadyAddresses?.map((a) => a.ip), ports: x.ports })),
    [
      { ready: ['10.244.0.11'], notReady: ['10.244.0.9'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
      { ready: ['10.244.0.13'], notReady: undefined, ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ],
  );
  assert.deepEqual(subsets[0].addresses![0].targetRef, { kind: 'Pod', namespace: 'shop', name: 'a', uid: 'uid-a' });
  assert.equal(subsets[0].addresses![0].nodeName, 'node1');
});

test('desiredSubsets leaves out terminating and finished pods, unless publishNotReadyAddresses keeps terminating ones as ready', () => {
  const pods = [pod('a', '10.244.0.2', { httpPort: 80, deleting: true }), pod('b', '10.244.0.3', { httpPort: 80, phase: 'Succeeded' }), pod('c', '10.244.0.4', { httpPort: 80, ready: false })];
  const plain = svc();
  assert.deepEqual(desiredSubsets(plain, pods, (p) => selects(plain, p)).map((x) => [x.addresses?.length ?? 0, x.notReadyAddresses?.length ?? 0]), [[0, 1]]);
  const publish = svc({ publishNotReadyAddresses: true });
  assert.deepEqual(desiredSubsets(publish, pods, (p) => selects(publish, p)).flatMap((x) => x.addresses!.map((a) => a.ip)), ['10.244.0.2', '10.244.0.4']);
});

test('desiredSubsets gives a headless Service without ports one portless subset with hostnames of pods in its subdomain', () => {
  const s = svc({ clusterIP: 'None', ports: [] });
  const subsets = desiredSubsets(s, [pod('db-0', '10.244.0.5', { hostname: 'db-0', subdomain: 'web' }), pod('x', '10.244.0.6', { hostname: 'x', subdomain: 'other' })], (p) => selects(s, p));
  assert.deepEqual(subsets.map((x) => x.addresses!.map((a) => [a.ip, a.hostname])), [[['10.244.0.5', 'db-0'], ['10.244.0.6', undefined]]]);
  assert.equal(subsets[0].ports, undefined);
  assert.deepEqual(endpointsLabels(s), { app: 'web', 'service.kubernetes.io/headless': '' });
});
