import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from '../../registry/registry.ts';
import { controllerFixture } from '../controller-fixture.ts';
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
