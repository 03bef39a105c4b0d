/**
 * The service dataplane in a real kernel: rules written by ServiceProxy
 * through the system's iptables-restore into a node namespace this test
 * creates (test-netns.ts), traffic from that namespace and from pod
 * namespaces behind its bridge. Nothing runs in, or is written to, the
 * host's namespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { renderLocalnetFirewall } from '../../containerd/localnet-firewall.ts';
import { systemIptablesRunner } from './iptables-runner.ts';
import { ServiceProxy } from './service-proxy.ts';
import { createLab, netnsUnavailable, type ProbeAgent } from './test-netns.ts';
import { makeService, makeSlice } from './test-objects.ts';

const unavailable = netnsUnavailable();

function service(name: string, clusterIP: string, extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return makeService('default', name, { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...extra });
}

function slice(name: string, ips: string[], port = { name: 'http', port: 8080, protocol: 'TCP' }): EndpointSlice {
  return makeSlice('default', name, ips.map((ip) => ({ addresses: [ip], nodeName: 'node' })), [port]);
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`wait for ${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The pod names that answered `count` connections to host:port. */
async function hits(agent: ProbeAgent, host: string, port: number, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await agent.probe('tcp', host, port);
    assert.ok(r.ok, `connection ${i} to ${host}:${port}: ${r.code}`);
    names.push(r.reply!.split(' ')[0]);
  }
  return names;
}

test('the service dataplane carries real connections in a network namespace', { skip: unavailable }, async (t) => {
  const lab = await createLab(2);
  t.after(() => lab.cleanup());
  const [p1, p2] = lab.pods;
  const iptables = systemIptablesRunner({ netns: lab.node });
  // The localnet firewall berth installs beside the proxy: its DNAT exception must let 127.0.0.1 NodePorts through.
  await iptables.restore(`${renderLocalnetFirewall().replace('COMMIT', '-I INPUT 1 -j BERTH-FIREWALL\n-I OUTPUT 1 -j BERTH-FIREWALL\nCOMMIT')}`);

  const proxy = new ServiceProxy({ config: { clusterCidr: '10.244.0.0/16', nodeName: 'node' }, iptables });
  t.after(() => proxy.stop());
  proxy.start();
  const services = [
    service('web', '10.96.0.20'),
    service('empty', '10.96.0.21'),
    service('sticky', '10.96.0.22', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } }),
    service('np', '10.96.0.23', { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }] }),
    service('self', '10.96.0.24'),
    service('other', '10.96.0.25'),
    makeService('default', 'dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
  ];
  const slices = [
    slice('web', [p1.ip, p2.ip]),
    slice('sticky', [p1.ip, p2.ip]),
    slice('np', [p2.ip]),
    slice('self', [p1.ip]),
    slice('other', [p2.ip]),
    slice('dns', [p1.ip], { name: 'dns', port: 5353, protocol: 'UDP' }),
  ];
  proxy.replaceAll(services, slices);
  await until('the first sync', () => (proxy.status().syncs >= 1 ? true : proxy.status().lastError ? assert.fail(proxy.status().lastError) : undefined));
  const fromNode = await lab.agent(lab.node);
  const fromPod1 = await lab.agent(p1.netns);

  await t.test('a ClusterIP spreads connections over both endpoints', async () => {
    const names = await hits(fromNode, '10.96.0.20', 80, 40);
    assert.deepEqual([...new Set(names)].sort(), ['pod1', 'pod2']);
  });

  await t.test('a ClusterIP without endpoints refuses at once', async () => {
    const r = await fromNode.probe('tcp', '10.96.0.21', 80);
    assert.equal(r.code, 'ECONNREFUSED');
    assert.ok(r.ms < 1000, `refused after ${r.ms} ms`);
    const fromPod = await fromPod1.probe('tcp', '10.96.0.21', 80);
    assert.equal(fromPod.code, 'ECONNREFUSED', 'a pod is refused too (FORWARD)');
  });

  await t.test('sessionAffinity ClientIP keeps a client on one endpoint, across a rewrite of the rules', async () => {
    const first = await hits(fromNode, '10.96.0.22', 80, 20);
    assert.equal(new Set(first).size, 1, `answered by ${[...new Set(first)]}`);
    const before = proxy.status().syncs;
    proxy.setService(service('web', '10.96.0.20', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'alt', port: 81, protocol: 'TCP' }] }));
    await until('a sync', () => (proxy.status().syncs > before ? true : undefined));
    const after = await hits(fromNode, '10.96.0.22', 80, 10);
    assert.deepEqual(new Set(after), new Set(first));
  });

  await t.test('an endpoint change is applied within 1 s', async (t) => {
    const changed = Date.now();
    proxy.setEndpointSlice(slice('web', [p2.ip]));
    let streak = 0;
    let firstOfStreak = 0;
    while (streak < 20) {
      const r = await fromNode.probe('tcp', '10.96.0.20', 80);
      const now = Date.now();
      if (r.ok && r.reply!.startsWith('pod2')) {
        if (streak++ === 0) firstOfStreak = now - r.ms;
      } else streak = 0;
      assert.ok(now - changed < 5000, 'the change never settled');
    }
    assert.ok(firstOfStreak - changed < 1000, `applied after ${firstOfStreak - changed} ms`);
    t.diagnostic(`endpoint change applied after ${firstOfStreak - changed} ms`);
    proxy.deleteEndpointSlice('default', 'web-1');
    const gone = Date.now();
    let r = await fromNode.probe('tcp', '10.96.0.20', 80);
    while (r.ok && Date.now() - gone < 2000) r = await fromNode.probe('tcp', '10.96.0.20', 80);
    assert.equal(r.code, 'ECONNREFUSED');
    assert.ok(Date.now() - gone < 1000, `refused ${Date.now() - gone} ms after the endpoints went`);
    t.diagnostic(`refused ${Date.now() - gone} ms after the endpoints went`);
  });

  await t.test('a NodePort answers on the node address and on 127.0.0.1, from the node and from a pod', async () => {
    assert.deepEqual(await hits(fromNode, lab.nodeIP, 30080, 3), ['pod2', 'pod2', 'pod2']);
    assert.deepEqual(await hits(fromNode, '127.0.0.1', 30080, 3), ['pod2', 'pod2', 'pod2']);
    assert.deepEqual(await hits(fromPod1, lab.nodeIP, 30080, 3), ['pod2', 'pod2', 'pod2']);
  });

  await t.test('a pod reaches another pod on the bridge through a ClusterIP, and itself (hairpin, masqueraded)', async () => {
    const other = await fromPod1.probe('tcp', '10.96.0.25', 80);
    assert.equal(other.reply, `pod2 ${p1.ip}`, 'pod to pod keeps the client address');
    const self = await fromPod1.probe('tcp', '10.96.0.24', 80);
    assert.equal(self.reply, `pod1 ${lab.nodeIP}`, 'hairpin traffic is masqueraded to the node address');
  });

  await t.test('a UDP Service answers', async () => {
    const r = await fromNode.probe('udp', '10.96.0.10', 53);
    assert.ok(r.ok, r.code);
    assert.match(r.reply!, /^pod1 /);
  });

  await t.test('remove() leaves no chain or jump of the proxy, and the localnet firewall in place', async () => {
    await proxy.remove();
    const saved = lab.exec(lab.node, ['iptables-save']);
    const berth = saved.split('\n').filter((l) => l.includes('BERTH-'));
    assert.deepEqual(berth.filter((l) => !l.includes('BERTH-FIREWALL')), [], saved);
    assert.equal(berth.length, 4, 'BERTH-FIREWALL: its chain, its rule and two jumps');
  });
});
