import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerFixture } from '../controllers/controller-fixture.ts';
import { clusterServicesController } from './cluster-services.ts';

const services = (f: ReturnType<typeof controllerFixture>) => f.registry.resource('', 'v1', 'services')!;
const endpoints = (f: ReturnType<typeof controllerFixture>) => f.registry.resource('', 'v1', 'endpoints')!;
const slices = (f: ReturnType<typeof controllerFixture>) => f.registry.resource('discovery.k8s.io', 'v1', 'endpointslices')!;

test('cluster-services creates kubernetes and kube-dns at their cluster IPs, pointing at the node, and puts them back when changed', async (t) => {
  const f = controllerFixture(t);
  await f.run([clusterServicesController({ nodeAddress: '10.244.0.1', apiPort: 6443, dnsPort: 53 })]);
  const k = services(f).get('default', 'kubernetes') as any;
  assert.equal(k.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(k.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]), [['https', 443, 6443]]);
  const dns = services(f).get('kube-system', 'kube-dns') as any;
  assert.equal(dns.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(dns.spec.ports.map((p: any) => [p.name, p.protocol, p.port]), [['dns', 'UDP', 53], ['dns-tcp', 'TCP', 53]]);
  assert.deepEqual((endpoints(f).get('default', 'kubernetes') as any).subsets, [{ addresses: [{ ip: '10.244.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = slices(f).get('kube-system', 'kube-dns') as any;
  assert.deepEqual(slice.endpoints.map((e: any) => [e.addresses, e.conditions.ready]), [[['10.244.0.1'], true]]);
  assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'kube-dns');

  endpoints(f).delete('default', 'kubernetes');
  const edited = services(f).get('kube-system', 'kube-dns') as any;
  services(f).update('kube-system', 'kube-dns', { ...edited, spec: { ...edited.spec, ports: [edited.spec.ports[0]] } });
  await f.clock.settle();
  assert.ok(endpoints(f).find('default', 'kubernetes'), 'endpoints put back');
  assert.equal((services(f).get('kube-system', 'kube-dns') as any).spec.ports.length, 2, 'ports put back');
  assert.deepEqual(f.logs, []);
});
