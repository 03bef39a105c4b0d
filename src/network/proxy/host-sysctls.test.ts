import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeNetfilter, conntrackTcpLiberal, enableBridgeNetfilter, enableRouteLocalnet } from './host-sysctls.ts';

function procSys(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-proc-sys-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, value] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), value);
  }
  return root;
}

test('enableBridgeNetfilter turns bridge-nf-call-iptables on, and says when br_netfilter is absent', (t) => {
  const root = procSys(t, { 'net/bridge/bridge-nf-call-iptables': '0\n' });
  assert.equal(bridgeNetfilter(root), 'off');
  assert.equal(enableBridgeNetfilter(root), 'on');
  assert.equal(readFileSync(join(root, 'net/bridge/bridge-nf-call-iptables'), 'utf8'), '1\n');
  assert.equal(enableBridgeNetfilter(procSys(t, {})), 'absent');
});

test('enableRouteLocalnet sets the bridge value once the bridge exists', (t) => {
  const root = procSys(t, { 'net/ipv4/conf/berth0/route_localnet': '0\n' });
  assert.equal(enableRouteLocalnet('berth1', root), false);
  assert.equal(enableRouteLocalnet('berth0', root), true);
  assert.equal(readFileSync(join(root, 'net/ipv4/conf/berth0/route_localnet'), 'utf8'), '1\n');
});

test('conntrackTcpLiberal reads nf_conntrack_tcp_be_liberal', (t) => {
  assert.equal(conntrackTcpLiberal(procSys(t, { 'net/netfilter/nf_conntrack_tcp_be_liberal': '1\n' })), true);
  assert.equal(conntrackTcpLiberal(procSys(t, { 'net/netfilter/nf_conntrack_tcp_be_liberal': '0\n' })), false);
  assert.equal(conntrackTcpLiberal(procSys(t, {})), false);
});
