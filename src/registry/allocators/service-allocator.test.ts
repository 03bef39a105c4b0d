/**
 * Cluster IPs and node ports through the registry, as kubectl reaches them:
 * requested, dynamic, exhausted, released (delete, type change), dry run,
 * and never handed out twice — also by a registry restarted on the same
 * store file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import { Store } from '../../store/store.ts';
import { Registry, type RegistryOptions } from '../registry.ts';

type Ctx = { after(fn: () => void): void };

function openRegistry(t: Ctx, file: string, allocators: RegistryOptions['allocators'] = {}): Registry {
  const store = new Store({
    file,
    stampRevision: (v, rev) => {
      v.metadata ??= {};
      v.metadata.resourceVersion = String(rev);
    },
  });
  const registry = new Registry(store, { now: () => Date.parse('2026-01-01T00:00:00Z'), allocators });
  registry.bootstrap();
  t.after(() => store.stop());
  return registry;
}

const memory = (t: Ctx, allocators: RegistryOptions['allocators'] = {}) => openRegistry(t, ':memory:', allocators);

function service(name: string, spec: Service['spec'] = {}): Service {
  return { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

/** The ApiError `fn` throws. */
function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected an ApiError');
}

test('a Service gets a random cluster IP from the upper band, with its family and policy', (t) => {
  const registry = memory(t, { services: { random: () => 0 } });
  const svc = registry.services.create('default', service('web'));
  assert.equal(svc.spec?.clusterIP, '10.96.1.1');
  assert.deepEqual(svc.spec?.clusterIPs, ['10.96.1.1']);
  assert.deepEqual(svc.spec?.ipFamilies, ['IPv4']);
  assert.equal(svc.spec?.ipFamilyPolicy, 'SingleStack');
  // The same start again: the scan skips what a stored Service holds.
  assert.equal(registry.services.create('default', service('api')).spec?.clusterIP, '10.96.1.2');
});

test('a requested cluster IP is honoured once; again it is refused with kube-apiserver text, and nothing is stored', (t) => {
  const registry = memory(t);
  assert.equal(registry.services.create('kube-system', service('kube-dns', { clusterIP: '10.96.0.10' })).spec?.clusterIP, '10.96.0.10');
  const again = refusal(() => registry.services.create('default', service('dns2', { clusterIP: '10.96.0.10' })));
  assert.equal(again.code, 422);
  assert.equal(
    again.message,
    'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  );
  // Leading zeros name the same address.
  assert.match(refusal(() => registry.services.create('default', service('dns3', { clusterIP: '10.96.0.010' }))).message, /provided IP is already allocated$/);
  assert.equal(registry.services.find('default', 'dns2'), undefined);
});

test('a cluster IP outside the service CIDR, or its network address, is refused as v1.33 MultiCIDRServiceAllocator refuses it', (t) => {
  const registry = memory(t);
  for (const ip of ['1.1.1.1', '10.96.0.0', '10.111.255.255']) {
    assert.equal(
      refusal(() => registry.services.create('default', service('out', { clusterIP: ip }))).message,
      `Service "out" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided network does not match the current range`,
    );
  }
});

test('what this cluster cannot serve is refused before allocation: IPv6, dual-stack, an invalid clusterIP alone', (t) => {
  const registry = memory(t);
  assert.equal(
    refusal(() => registry.services.create('default', service('v6', { clusterIP: 'fd00::10' }))).message,
    'Service "v6" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
  );
  assert.equal(
    refusal(() => registry.services.create('default', service('dual', { ipFamilyPolicy: 'RequireDualStack' }))).message,
    'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  );
  assert.equal(
    refusal(() => registry.services.create('default', service('fam', { ipFamilies: ['IPv6'] }))).message,
    'Service "fam" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
  );
  // kube-apiserver checks the cluster IP fields first and reports only them.
  assert.equal(
    refusal(() => registry.services.create('default', service('bad', { clusterIP: 'abc', ports: [{ port: 0 }] }))).message,
    'Service "bad" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  );
});

test('an exhausted range is a 500 "range is full", and a deleted Service frees its IP at once', (t) => {
  const registry = memory(t, { services: { serviceCIDR: '10.0.0.0/29' } }); // 6 addresses, no static band
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const ips = names.map((n) => registry.services.create('default', service(n)).spec?.clusterIP);
  assert.equal(new Set(ips).size, 6);
  const full = refusal(() => registry.services.create('default', service('g')));
  assert.equal(full.code, 500);
  assert.equal(full.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
  registry.services.delete('default', 'c');
  assert.equal(registry.services.create('default', service('g')).spec?.clusterIP, ips[2]);
});

test('a headless Service gets no IP; a selectorless one is RequireDualStack with both families, as on any v1.33 cluster', (t) => {
  const registry = memory(t);
  const h = registry.services.create('default', service('h', { clusterIP: 'None' }));
  assert.deepEqual([h.spec?.clusterIP, h.spec?.clusterIPs, h.spec?.ipFamilyPolicy, h.spec?.ipFamilies], ['None', ['None'], 'SingleStack', ['IPv4']]);
  const bare = registry.services.create('default', { metadata: { name: 'bare' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
  assert.deepEqual([bare.spec?.ipFamilyPolicy, bare.spec?.ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
});

test('a changed cluster IP is refused on update and the stored Service keeps its own', (t) => {
  const registry = memory(t);
  const svc = registry.services.create('default', service('web', { clusterIP: '10.96.0.5' }));
  const err = refusal(() => registry.services.update('default', 'web', { ...svc, spec: { ...svc.spec, clusterIP: '10.96.0.20' } }));
  assert.equal(err.message, 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set');
  assert.equal(registry.services.get('default', 'web').spec?.clusterIP, '10.96.0.5');
});

test('a resubmitted manifest without the allocated values keeps them (patchAllocatedValues)', (t) => {
  const registry = memory(t);
  const created = registry.services.create('default', service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
  const again = registry.services.update('default', 'web', { metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } });
  assert.equal(again.spec?.clusterIP, created.spec?.clusterIP);
  assert.equal(again.spec?.ports?.[0].nodePort, created.spec?.ports?.[0].nodePort);
});

test('ClusterIP → ExternalName releases the IP, ExternalName → ClusterIP allocates one', (t) => {
  const registry = memory(t);
  const svc = registry.services.create('default', service('db', { clusterIP: '10.96.0.7' }));
  const ext = registry.services.update('default', 'db', { ...svc, spec: { ...svc.spec, type: 'ExternalName', externalName: 'db.example.com' } });
  assert.deepEqual([ext.spec?.clusterIP, ext.spec?.clusterIPs, ext.spec?.ipFamilies, ext.spec?.ipFamilyPolicy], [undefined, undefined, undefined, undefined]);
  assert.equal(registry.services.create('default', service('other', { clusterIP: '10.96.0.7' })).spec?.clusterIP, '10.96.0.7');
  const back = registry.services.update('default', 'db', { ...ext, spec: { ...ext.spec, type: 'ClusterIP', externalName: undefined } });
  assert.match(back.spec?.clusterIP ?? '', /^10\.(9[6-9]|10[0-9]|11[01])\./);
  assert.notEqual(back.spec?.clusterIP, '10.96.0.7');
});

test('node ports: dynamic from the upper band, shared by TCP and UDP of one port, requested, refused when taken or out of range', (t) => {
  const registry = memory(t, { services: { random: () => 0 } });
  const dns = registry.services.create(
    'default',
    service('dns', { type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),
  );
  assert.deepEqual(dns.spec?.ports?.map((p) => p.nodePort), [30086, 30086]);
  assert.equal(dns.spec?.externalTrafficPolicy, 'Cluster');
  const web = registry.services.create('default', service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(web.spec?.ports?.[0].nodePort, 30080);
  assert.equal(
    refusal(() => registry.services.create('default', service('web2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).message,
    'Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
  );
  assert.equal(
    refusal(() => registry.services.create('default', service('web3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))).message,
    'Service "web3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  );
});

test('NodePort → ClusterIP releases the node ports; an exhausted node port range is a 500', (t) => {
  const registry = memory(t, { services: { nodePortRange: '30000-30001' } });
  const a = registry.services.create('default', service('a', { type: 'NodePort', ports: [{ name: 'x', port: 80 }, { name: 'y', port: 81 }] }));
  assert.deepEqual(a.spec?.ports?.map((p) => p.nodePort).sort(), [30000, 30001]);
  const full = refusal(() => registry.services.create('default', service('b', { type: 'NodePort' })));
  assert.equal(full.message, 'Internal error occurred: failed to allocate a nodePort: range is full');
  const clusterIP = registry.services.update('default', 'a', { ...a, spec: { ...a.spec, type: 'ClusterIP', externalTrafficPolicy: undefined } });
  assert.deepEqual(clusterIP.spec?.ports?.map((p) => p.nodePort), [undefined, undefined]);
  assert.equal(registry.services.create('default', service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] })).spec?.ports?.[0].nodePort, 30001);
});

test('a LoadBalancer gets node ports (unless it opts out) and, with externalTrafficPolicy Local, a health check node port', (t) => {
  const registry = memory(t);
  const lb = registry.services.create('default', service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
  assert.equal(lb.spec?.allocateLoadBalancerNodePorts, true);
  assert.ok((lb.spec?.ports?.[0].nodePort ?? 0) >= 30000);
  assert.ok((lb.spec?.healthCheckNodePort ?? 0) >= 30000);
  assert.notEqual(lb.spec?.healthCheckNodePort, lb.spec?.ports?.[0].nodePort);
  assert.deepEqual(lb.status, { loadBalancer: {} });
  const bare = registry.services.create('default', service('bare', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
  assert.equal(bare.spec?.ports?.[0].nodePort, undefined);
});

test('a dry run stores nothing, shows the network address and node port 32769 as kube-apiserver does, and checks only the range', (t) => {
  const registry = memory(t);
  registry.services.create('default', service('taken', { clusterIP: '10.96.0.9' }));
  const dry = registry.services.create('default', service('web', { type: 'NodePort' }), { dryRun: true });
  assert.equal(dry.spec?.clusterIP, '10.96.0.0');
  assert.equal(dry.spec?.ports?.[0].nodePort, 32769);
  assert.equal(registry.services.find('default', 'web'), undefined);
  assert.equal(registry.services.create('default', service('dup', { clusterIP: '10.96.0.9' }), { dryRun: true }).spec?.clusterIP, '10.96.0.9');
  assert.equal(
    refusal(() => registry.services.create('default', service('out', { clusterIP: '1.1.1.1' }), { dryRun: true })).message,
    'Service "out" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  );
});

test('a registry restarted on the same store file hands out nothing twice', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-alloc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'state.db');
  // A pinned random start: every allocation would pick the same address and port but for the stored Services.
  const opts = { services: { serviceCIDR: '10.0.0.0/28', nodePortRange: '30000-30015', random: () => 0 } };
  const first = openRegistry(t, file, opts);
  const a = first.services.create('default', service('a', { type: 'NodePort' }));
  // As after kill -9: the first registry is not stopped; the second reads what the first stored.
  const second = openRegistry(t, file, opts);
  const b = second.services.create('default', service('b', { type: 'NodePort' }));
  assert.notEqual(b.spec?.clusterIP, a.spec?.clusterIP);
  assert.notEqual(b.spec?.ports?.[0].nodePort, a.spec?.ports?.[0].nodePort);
  assert.equal(
    refusal(() => second.services.create('default', service('c', { clusterIP: a.spec?.clusterIP }))).message,
    `Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"${a.spec?.clusterIP}"}: failed to allocate IP ${a.spec?.clusterIP}: provided IP is already allocated`,
  );
});
