import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLease, leaseHolder } from '../service-network-lease.ts';
import { removeServiceProxy, ServiceProxy, type ServiceProxyOptions } from './service-proxy.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import { TestIptables } from './test-iptables.ts';
import { makeService, makeSlice, tcpPort } from './test-objects.ts';

const svc = makeService('default', 'web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const slice = (...ips: string[]) => makeSlice('default', 'web', ips.map((ip) => ({ addresses: [ip] })), [tcpPort('http', 8080)]);

function setup(extra: Partial<ServiceProxyOptions> = {}) {
  const clock = new FakeClock();
  const iptables = new TestIptables();
  const errors: string[] = [];
  const proxy = new ServiceProxy({
    config: { clusterCidr: '10.244.0.0/16', nodeName: 'node' },
    iptables,
    clock,
    onSyncError: (e) => errors.push(e.message),
    ...extra,
  });
  return { clock, iptables, proxy, errors };
}

function dnatTargets(ipt: TestIptables): string[] {
  return [...ipt.tables.nat.values()].flat().flatMap((r) => /--to-destination (\S+)/.exec(r)?.[1] ?? []).sort();
}

test('ServiceProxy writes nothing until it has the whole state, then writes chains and jumps in one restore', async () => {
  const { clock, iptables, proxy } = setup();
  proxy.start();
  proxy.setService(svc);
  await clock.advance(60_000);
  assert.equal(iptables.restores.length, 0);
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  assert.equal(iptables.restores.length, 1);
  assert.deepEqual(dnatTargets(iptables), ['10.244.0.2:8080']);
  assert.deepEqual(iptables.tables.nat.get('PREROUTING'), ['-m comment --comment "kubernetes service portals" -j BERTH-SERVICES']);
  assert.equal(iptables.tables.filter.get('FORWARD')!.length, 3);
  assert.equal(proxy.status().syncs, 1);
  await proxy.stop();
});

test('ServiceProxy applies a change within the min interval, skips a sync that changes nothing, and rewrites periodically', async () => {
  const { clock, iptables, proxy } = setup();
  proxy.start();
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  proxy.setEndpointSlice(slice('10.244.0.2', '10.244.0.3'));
  await clock.advance(0);
  assert.equal(iptables.restores.length, 2, 'a burst of two syncs goes at once');
  // The burst is spent: changes wait for a token, never longer than the min interval, and fold into one sync.
  proxy.setEndpointSlice(slice('10.244.0.3'));
  await clock.advance(100);
  proxy.setService(svc);
  await clock.advance(399);
  assert.equal(iptables.restores.length, 2);
  await clock.advance(1);
  assert.equal(iptables.restores.length, 3);
  assert.deepEqual(dnatTargets(iptables), ['10.244.0.3:8080'], 'the latest state wins');
  // An equal object changes nothing: no restore. The periodic sync rewrites anyway.
  proxy.setService(svc);
  await clock.advance(1000);
  assert.equal(iptables.restores.length, 3);
  await clock.advance(30_000);
  assert.equal(iptables.restores.length, 4);
  await proxy.stop();
});

test('ServiceProxy repairs jumps someone deleted, on the periodic sync', async () => {
  const { clock, iptables, proxy } = setup();
  proxy.start();
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  iptables.tables.nat.set('PREROUTING', []);
  await clock.advance(30_000);
  assert.deepEqual(iptables.tables.nat.get('PREROUTING'), ['-m comment --comment "kubernetes service portals" -j BERTH-SERVICES']);
  await proxy.stop();
});

test('ServiceProxy deletes the chains of a Service that is gone', async () => {
  const { clock, iptables, proxy } = setup();
  proxy.start();
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  assert.equal(iptables.berthChains('nat').length, 6);
  proxy.deleteService('default', 'web');
  await clock.advance(0);
  assert.deepEqual(iptables.berthChains('nat'), ['BERTH-SERVICES', 'BERTH-NODEPORTS', 'BERTH-POSTROUTING', 'BERTH-MARK-MASQ']);
  await proxy.stop();
});

test('ServiceProxy retries a failed sync with back-off and reports the error', async () => {
  const { clock, iptables, proxy, errors } = setup();
  iptables.failNext = 2;
  proxy.start();
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  assert.match(proxy.status().lastError!, /iptables-restore failed/);
  await clock.advance(1000);
  assert.equal(iptables.restores.length, 2);
  await clock.advance(1999);
  assert.equal(iptables.restores.length, 2);
  await clock.advance(1);
  assert.equal(iptables.restores.length, 3);
  assert.equal(errors.length, 2);
  assert.equal(proxy.status().lastError, undefined);
  assert.deepEqual(dnatTargets(iptables), ['10.244.0.2:8080']);
  await proxy.stop();
});

test('ServiceProxy.stop leaves the rules; remove deletes every chain and jump and nothing else', async () => {
  const { clock, iptables, proxy } = setup();
  iptables.tables.filter.set('BERTH-FIREWALL', ['-j DROP']);
  iptables.tables.filter.get('INPUT')!.push('-j BERTH-FIREWALL');
  proxy.start();
  proxy.replaceAll([svc], [slice('10.244.0.2')]);
  await clock.advance(0);
  await proxy.stop();
  await proxy.stop();
  assert.deepEqual(dnatTargets(iptables), ['10.244.0.2:8080']);
  await proxy.remove();
  assert.deepEqual(iptables.berthChains('nat'), []);
  assert.deepEqual(iptables.berthChains('filter'), ['BERTH-FIREWALL']);
  assert.deepEqual(iptables.tables.filter.get('INPUT'), ['-j BERTH-FIREWALL']);
  for (const c of ['PREROUTING', 'OUTPUT', 'POSTROUTING']) assert.deepEqual(iptables.tables.nat.get(c), []);
  assert.deepEqual(clock.pendingDelays, []);
});

test('ServiceProxy takes the machine lease: a second live node is refused, a dead one is taken over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-proxy-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'service-proxy.lease');
  const a = setup({ lease: { holder: { pid: process.pid, dataDir: '/data/a' }, file } });
  a.proxy.start();
  const b = setup({ lease: { holder: { pid: process.pid, dataDir: '/data/b' }, file } });
  assert.throws(() => b.proxy.start(), { code: 'Held', message: /data directory "\/data\/a"/ });
  const down = await removeServiceProxy(a.iptables, file);
  assert.deepEqual(down, { removed: false, heldBy: { pid: process.pid, dataDir: '/data/a' } });
  await a.proxy.stop();
  assert.equal(leaseHolder({ path: file }), undefined);
  b.proxy.start();
  await b.proxy.stop();
  // A lease left by a killed node.
  writeFileSync(file, JSON.stringify({ pid: 999_999_999, dataDir: '/data/dead' }));
  assert.deepEqual(acquireLease('/data/c', { path: file }), { acquired: true });
  assert.deepEqual(leaseHolder({ path: file }), { pid: process.pid, dataDir: '/data/c' });
});
