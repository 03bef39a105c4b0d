import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectIptables, gatewayOf, renderCniConfig } from './cni-config.ts';

test('renderCniConfig builds the berth bridge network with shared host-local IPAM', () => {
  const conf = JSON.parse(renderCniConfig({ portmap: true }));
  assert.equal(conf.name, 'berth');
  assert.equal(conf.cniVersion, '1.0.0');
  const [bridge, portmap] = conf.plugins;
  assert.equal(bridge.type, 'bridge');
  assert.equal(bridge.bridge, 'berth0');
  assert.equal(bridge.isGateway, true);
  assert.equal(bridge.ipMasq, false);
  assert.equal(bridge.hairpinMode, true);
  assert.equal(bridge.ipam.type, 'host-local');
  assert.equal(bridge.ipam.dataDir, '/run/berth/ipam');
  assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.244.0.0/16', gateway: '10.244.0.1' }]]);
  assert.deepEqual(portmap, { type: 'portmap', capabilities: { portMappings: true } });
});

test('renderCniConfig leaves portmap out when iptables is missing', () => {
  const conf = JSON.parse(renderCniConfig({ portmap: false }));
  assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge']);
});

test('renderCniConfig honours podCidr and bridgeName overrides', () => {
  const conf = JSON.parse(renderCniConfig({ portmap: false, podCidr: '10.88.4.0/22', bridgeName: 'br-test' }));
  assert.equal(conf.plugins[0].bridge, 'br-test');
  assert.deepEqual(conf.plugins[0].ipam.ranges, [[{ subnet: '10.88.4.0/22', gateway: '10.88.4.1' }]]);
});

test('gatewayOf takes the first address of the network, whatever host bits the CIDR carries', () => {
  assert.equal(gatewayOf('10.244.0.0/16'), '10.244.0.1');
  assert.equal(gatewayOf('192.168.7.77/24'), '192.168.7.1');
  assert.throws(() => gatewayOf('fd00::/64'), /not an IPv4 CIDR/);
  assert.throws(() => gatewayOf('10.0.0.0/31'), /too small/);
});

test('detectIptables finds iptables only when it is on the search path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ipt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync('/bin/true', join(dir, 'iptables'));
  assert.equal(detectIptables(dir), true);
  // The sbin directories are always searched; on this machine iptables lives there.
  assert.equal(detectIptables(join(dir, 'missing')), detectIptables('/nonexistent'));
});
