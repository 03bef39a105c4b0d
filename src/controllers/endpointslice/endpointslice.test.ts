import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from '../../registry/registry.ts';
import { controllerFixture } from '../controller-fixture.ts';
import { endpointSliceController } from './endpointslice.ts';

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

const slicesOf = (registry: Registry, name = 'web') =>
  (registry.resource('discovery.k8s.io', 'v1', 'endpointslices')!.list('default').items as any[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);

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
