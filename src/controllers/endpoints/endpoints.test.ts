import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from '../../registry/registry.ts';
import { controllerFixture } from '../controller-fixture.ts';
import { endpointSliceController } from '../endpointslice/endpointslice.ts';
import { endpointsController } from './endpoints.ts';

function addPod(registry: Registry, name: string, ip: string, ready: boolean, labels: Record<string, string> = { app: 'web' }): void {
  registry.pods.create('default', { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.35', ports: [{ name: 'http', containerPort: 8080 }] }] } });
  setPod(registry, name, ip, ready);
}

function setPod(registry: Registry, name: string, ip: string, ready: boolean): void {
  const pod = registry.pods.get('default', name);
  registry.pods.update('default', name, { ...pod, status: { ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { subresource: 'status' });
}

function addService(registry: Registry, name = 'web', extra: Record<string, unknown> = {}): void {
  registry.resource('', 'v1', 'services')!.create('default', { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...extra } });
}

const endpointsOf = (registry: Registry, name = 'web') => registry.resource('', 'v1', 'endpoints')!.find('default', name) as any;
const slicesOf = (registry: Registry, name = 'web') =>
  (registry.resource('discovery.k8s.io', 'v1', 'endpointslices')!.list('default').items as any[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);

test('endpoints controller keeps a Service\'s Endpoints equal to its ready and not-ready pods, and deletes them with the Service', async (t) => {
  const f = controllerFixture(t);
  addService(f.registry);
  addPod(f.registry, 'a', '10.244.0.11', true);
  addPod(f.registry, 'other', '10.244.0.99', true, { app: 'api' });
  await f.run([endpointsController]);
  assert.deepEqual(endpointsOf(f.registry).subsets, [{ addresses: [{ ip: '10.244.0.11', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: f.registry.pods.get('default', 'a').metadata.uid } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);

  addPod(f.registry, 'b', '10.244.0.12', false);
  await f.clock.settle();
  assert.deepEqual(endpointsOf(f.registry).subsets[0].notReadyAddresses.map((a: any) => a.ip), ['10.244.0.12']);
  setPod(f.registry, 'a', '10.244.0.11', false);
  await f.clock.settle();
  assert.equal(endpointsOf(f.registry).subsets[0].addresses, undefined);
  assert.deepEqual(endpointsOf(f.registry).subsets[0].notReadyAddresses.map((a: any) => a.ip), ['10.244.0.11', '10.244.0.12']);

  f.registry.resource('', 'v1', 'services')!.delete('default', 'web');
  await f.clock.settle();
  assert.equal(endpointsOf(f.registry), undefined);
  assert.deepEqual(f.logs, []);
});

test('endpoints controller leaves the Endpoints of a Service without a selector alone, and catches up after a restart', async (t) => {
  const f = controllerFixture(t);
  addService(f.registry, 'manual', { selector: undefined });
  f.registry.resource('', 'v1', 'endpoints')!.create('default', { metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '10.244.0.50' }], ports: [{ port: 80 }] }] });
  const first = await f.run([endpointsController]);
  first.stop();
  addService(f.registry);
  addPod(f.registry, 'a', '10.244.0.11', true);
  await f.run([endpointsController]);
  assert.deepEqual(endpointsOf(f.registry, 'manual').subsets[0].addresses, [{ ip: '10.244.0.50' }]);
  assert.deepEqual(endpointsOf(f.registry).subsets[0].addresses.map((a: any) => a.ip), ['10.244.0.11']);
});

test('endpointslice controller writes one owned slice per Service with ready, serving and terminating, and a placeholder when empty', async (t) => {
  const f = controllerFixture(t);
  addService(f.registry);
  await f.run([endpointSliceController]);
  const [placeholder] = slicesOf(f.registry);
  assert.match(placeholder.metadata.name, /^web-[a-z0-9]{5}$/);
  assert.equal(placeholder.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.deepEqual(placeholder.metadata.ownerReferences, [
    { apiVersion: 'v1', kind: 'Service', name: 'web', uid: f.registry.resource('', 'v1', 'services')!.get('default', 'web').metadata.uid, controller: true, blockOwnerDeletion: true },
  ]);
  assert.equal((placeholder.endpoints ?? []).length, 0);

  addPod(f.registry, 'a', '10.244.0.11', true);
  addPod(f.registry, 'b', '10.244.0.12', false);
  await f.clock.settle();
  const slices = slicesOf(f.registry);
  assert.equal(slices.length, 1);
  assert.equal(slices[0].metadata.name, placeholder.metadata.name, 'updated in place');
  assert.deepEqual(slices[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(slices[0].endpoints.map((e: any) => [e.addresses[0], e.conditions]), [
    ['10.244.0.11', { ready: true, serving: true, terminating: false }],
    ['10.244.0.12', { ready: false, serving: false, terminating: false }],
  ]);

  f.registry.resource('', 'v1', 'services')!.delete('default', 'web');
  await f.clock.settle();
  assert.deepEqual(slicesOf(f.registry), []);
  assert.deepEqual(f.logs, []);
});
