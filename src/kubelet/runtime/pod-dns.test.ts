import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/api.ts';
import { parseResolvConf, podDnsConfig, podHostname } from './pod-dns.ts';

const cluster = { servers: ['10.96.0.10'], domain: 'cluster.local' };
const host = 'nameserver 10.255.255.53\nnameserver 10.255.255.54\nsearch corp.example. lab.example\noptions edns0 timeout:2\n';
const pod = (spec: Record<string, unknown> = {}, name = 'web-0', namespace = 'shop'): Pod =>
  ({ metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...spec } }) as Pod;

test('parseResolvConf reads nameservers, the last search line without trailing dots, and options', () => {
  assert.deepEqual(parseResolvConf('domain a.example\nsearch b.example. . c.example # comment\nnameserver 1.2.3.4\noptions ndots:2 rotate\n'), {
    servers: ['1.2.3.4'],
    searches: ['b.example', 'c.example'],
    options: ['ndots:2', 'rotate'],
  });
});

test('podDnsConfig gives a ClusterFirst pod the cluster servers, the cluster search path before the host\'s, and ndots:5', () => {
  assert.deepEqual(podDnsConfig(pod(), cluster, host), {
    servers: ['10.96.0.10'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['ndots:5'],
  });
});

test('podDnsConfig falls back to the host\'s resolv.conf for Default, host-network ClusterFirst, and nodes without cluster DNS', () => {
  const hostConfig = { servers: ['10.255.255.53', '10.255.255.54'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'timeout:2'] };
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default' }), cluster, host), hostConfig);
  assert.deepEqual(podDnsConfig(pod({ hostNetwork: true }), cluster, host), hostConfig);
  assert.deepEqual(podDnsConfig(pod(), { servers: [], domain: 'cluster.local' }, host), hostConfig);
  assert.deepEqual(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster, host).servers, ['10.96.0.10']);
});

test('podDnsConfig uses only dnsConfig for None and appends dnsConfig to the others, merging options by name', () => {
  const dnsConfig = { nameservers: ['10.96.0.10', '1.1.1.1'], searches: ['extra.example', 'svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request' }] };
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig }), cluster, host), {
    servers: ['10.96.0.10', '1.1.1.1'],
    searches: ['extra.example', 'svc.cluster.local'],
    options: ['ndots:2', 'single-request'],
  });
  assert.deepEqual(podDnsConfig(pod({ dnsConfig }), cluster, host), {
    servers: ['10.96.0.10', '1.1.1.1'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra.example'],
    options: ['ndots:2', 'single-request'],
  });
});

test('podDnsConfig keeps at most 3 nameservers and 32 search paths', () => {
  const many = { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`) };
  const c = podDnsConfig(pod({ dnsConfig: many }), cluster, host);
  assert.deepEqual(c.servers, ['10.96.0.10', '1.1.1.1', '2.2.2.2']);
  assert.equal(c.searches.length, 32);
});

test('podHostname uses spec.hostname and subdomain, and refuses an FQDN over 64 characters', () => {
  assert.deepEqual(podHostname(pod(), 'cluster.local'), { hostname: 'web-0', domain: '' });
  assert.deepEqual(podHostname(pod({ hostname: 'db-0', subdomain: 'db' }), 'cluster.local'), { hostname: 'db-0', domain: 'db.shop.svc.cluster.local' });
  assert.deepEqual(podHostname(pod({ hostname: 'db-0', subdomain: 'db', setHostnameAsFQDN: true }), 'cluster.local').hostname, 'db-0.db.shop.svc.cluster.local');
  assert.equal(podHostname(pod({}, 'a'.repeat(70)), 'cluster.local').hostname, 'a'.repeat(63));
  assert.throws(
    () => podHostname(pod({ hostname: 'h'.repeat(40), subdomain: 'sub', setHostnameAsFQDN: true }), 'cluster.local'),
    { message: `failed to construct FQDN from pod hostname and cluster domain, FQDN ${'h'.repeat(40)}.sub.shop.svc.cluster.local is too long (64 characters is the max, 67 characters requested)` },
  );
});
