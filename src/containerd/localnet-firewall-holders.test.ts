import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdLocalnetFirewall, releaseLocalnetFirewall, type LocalnetFirewallHolders } from './localnet-firewall-holders.ts';

/** A machine in a temp dir: lease dir, the bridge's ports and its route_localnet, live pids. */
function machine(t: TestContext) {
  const root = mkdtempSync(join(tmpdir(), 'berth-localnet-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const brif = join(root, 'net', 'br-test', 'brif');
  mkdirSync(brif, { recursive: true });
  const conf = join(root, 'conf', 'br-test');
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, 'route_localnet'), '1\n');
  const live = new Set<number>();
  const events: string[] = [];
  const h: LocalnetFirewallHolders = {
    firewall: { install: () => void events.push('install'), remove: () => void events.push('remove') },
    bridge: 'br-test',
    leaseDir: join(root, 'leases'),
    sysClassNet: join(root, 'net'),
    ipv4Conf: join(root, 'conf'),
    alive: (pid) => live.has(pid),
  };
  return {
    h,
    live,
    events,
    addPod: (veth: string) => writeFileSync(join(brif, veth), ''),
    routeLocalnet: () => readFileSync(join(conf, 'route_localnet'), 'utf8').trim(),
    leases: () => (existsSync(h.leaseDir!) ? readdirSync(h.leaseDir!).sort() : []),
  };
}

test('holdLocalnetFirewall writes the lease before it installs the firewall', (t) => {
  const m = machine(t);
  m.h.firewall.install = () => {
    assert.equal(m.leases().length, 1);
    m.events.push('install');
  };
  holdLocalnetFirewall(m.h, 100, '/var/lib/berth');
  assert.deepEqual(m.events, ['install']);
  const [lease] = m.leases();
  assert.match(lease, /^100-[0-9a-f]{12}$/);
  assert.equal(readFileSync(join(m.h.leaseDir!, lease), 'utf8'), '/var/lib/berth\n');
});

test('holdLocalnetFirewall deletes its lease again when the install fails', (t) => {
  const m = machine(t);
  m.h.firewall.install = () => {
    throw new Error('install the localnet firewall: iptables-restore failed');
  };
  assert.throws(() => holdLocalnetFirewall(m.h, 100, '/d'), /iptables-restore failed/);
  assert.deepEqual(m.leases(), []);
});

test('releaseLocalnetFirewall keeps the firewall while another live node holds it', (t) => {
  const m = machine(t);
  m.live.add(100).add(200);
  holdLocalnetFirewall(m.h, 100, '/a');
  holdLocalnetFirewall(m.h, 200, '/b');
  assert.deepEqual(releaseLocalnetFirewall(m.h, { pid: 100, dataDir: '/a' }), { removed: false, heldBy: [200], podsOnBridge: 0 });
  assert.deepEqual(m.events, ['install', 'install']);
  assert.deepEqual(m.leases().map((l) => l.split('-')[0]), ['200']);
  assert.equal(m.routeLocalnet(), '1');
});

test('releaseLocalnetFirewall keeps the firewall while pods are on the bridge, though no node runs', (t) => {
  const m = machine(t);
  holdLocalnetFirewall(m.h, 100, '/a');
  // The node was killed: its lease is stale, its pods still run in their shims.
  m.addPod('veth1234');
  assert.deepEqual(releaseLocalnetFirewall(m.h), { removed: false, heldBy: [], podsOnBridge: 1 });
  assert.deepEqual(m.leases(), [], 'the stale lease is deleted');
  assert.deepEqual(m.events, ['install']);
});

test('releaseLocalnetFirewall removes the firewall and resets route_localnet when the last node goes with no pod left', (t) => {
  const m = machine(t);
  m.live.add(100);
  holdLocalnetFirewall(m.h, 100, '/a');
  assert.deepEqual(releaseLocalnetFirewall(m.h, { pid: 100, dataDir: '/a' }), { removed: true });
  assert.deepEqual(m.events, ['install', 'remove']);
  assert.equal(m.routeLocalnet(), '0');
  assert.deepEqual(m.leases(), []);
});

test('releaseLocalnetFirewall reinstalls when a node started while it was removing', (t) => {
  const m = machine(t);
  m.live.add(100);
  holdLocalnetFirewall(m.h, 100, '/a');
  m.h.firewall.remove = () => {
    m.events.push('remove');
    // Node 300 wrote its lease and found the firewall still there.
    m.live.add(300);
    writeFileSync(join(m.h.leaseDir!, '300-000000000000'), '/c\n');
  };
  assert.deepEqual(releaseLocalnetFirewall(m.h, { pid: 100, dataDir: '/a' }), { removed: false, heldBy: [300], podsOnBridge: 0 });
  assert.deepEqual(m.events, ['install', 'remove', 'install']);
});

test('releaseLocalnetFirewall keeps the firewall for the other node a process runs', (t) => {
  const m = machine(t);
  m.live.add(100);
  holdLocalnetFirewall(m.h, 100, '/a');
  holdLocalnetFirewall(m.h, 100, '/b');
  assert.deepEqual(releaseLocalnetFirewall(m.h, { pid: 100, dataDir: '/a' }), { removed: false, heldBy: [100], podsOnBridge: 0 });
  assert.deepEqual(releaseLocalnetFirewall(m.h, { pid: 100, dataDir: '/b' }), { removed: true });
});

test('releaseLocalnetFirewall removes the firewall when the bridge was never created', (t) => {
  const m = machine(t);
  rmSync(join(m.h.sysClassNet!, 'br-test'), { recursive: true });
  rmSync(join(m.h.ipv4Conf!, 'br-test'), { recursive: true });
  assert.deepEqual(releaseLocalnetFirewall(m.h), { removed: true });
  assert.deepEqual(m.events, ['remove']);
});
