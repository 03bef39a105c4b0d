import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { endpointChain, servicePortChain } from './chain-names.ts';
import { probability, renderRules, type ProxyConfig } from './render-rules.ts';
import { makeService, makeSlice, rulesByChain, tcpPort } from './test-objects.ts';

const config: ProxyConfig = { clusterCidr: '10.0.0.0/8', nodeName: 'test-node' };

function render(services: Service[], endpointSlices: EndpointSlice[], c: Partial<ProxyConfig> = {}): string {
  return renderRules({ services, endpointSlices }, { ...config, ...c });
}

const svc1 = makeService('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }] });
const eps1 = (...ips: string[]) => makeSlice('ns1', 'svc1', ips.map((ip) => ({ addresses: [ip] })), [tcpPort('p80', 80)]);

const FORWARD_AND_POSTROUTING = {
  forward: [
    '-A BERTH-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A BERTH-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A BERTH-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ],
  postrouting: [
    '-A BERTH-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A BERTH-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A BERTH-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ],
};
const NODEPORTS_LAST =
  '-A BERTH-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j BERTH-NODEPORTS';

test('chain names are kube-proxy hashes with the BERTH- prefix', () => {
  assert.equal(servicePortChain('svc', 'ns1/svc1:p80', 'TCP'), 'BERTH-SVC-XPGD46QRK7WJZT7O');
  assert.equal(servicePortChain('ext', 'ns2/svc2:p80', 'tcp'), 'BERTH-EXT-GNZBNJ2PO5MGZ6GT');
  assert.equal(endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'BERTH-SEP-SXIVWICOYRO3J4NJ');
  assert.equal(endpointChain('ns5/svc5:p80', 'tcp', '10.180.0.3:80'), 'BERTH-SEP-I77PXRDZVX7PMWMN');
});

test('probability is 1/n with ten decimals', () => {
  assert.deepEqual([1, 2, 3, 4, 7].map(probability), ['1.0000000000', '0.5000000000', '0.3333333333', '0.2500000000', '0.1428571429']);
});

test('renderRules writes a ClusterIP with one endpoint exactly as kube-proxy does', () => {
  assert.equal(
    render([svc1], [eps1('10.180.0.1')]),
    [
      '*filter',
      ':BERTH-SERVICES - [0:0]',
      ':BERTH-EXTERNAL-SERVICES - [0:0]',
      ':BERTH-FORWARD - [0:0]',
      ...FORWARD_AND_POSTROUTING.forward,
      'COMMIT',
      '*nat',
      ':BERTH-SERVICES - [0:0]',
      ':BERTH-NODEPORTS - [0:0]',
      ':BERTH-POSTROUTING - [0:0]',
      ':BERTH-MARK-MASQ - [0:0]',
      ':BERTH-SVC-XPGD46QRK7WJZT7O - [0:0]',
      ':BERTH-SEP-SXIVWICOYRO3J4NJ - [0:0]',
      ...FORWARD_AND_POSTROUTING.postrouting,
      '-A BERTH-MARK-MASQ -j MARK --or-mark 0x4000',
      '-A BERTH-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j BERTH-SVC-XPGD46QRK7WJZT7O',
      '-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ',
      '-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j BERTH-SEP-SXIVWICOYRO3J4NJ',
      '-A BERTH-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j BERTH-MARK-MASQ',
      '-A BERTH-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
      NODEPORTS_LAST,
      'COMMIT',
      '',
    ].join('\n'),
  );
});

test('renderRules rejects a ClusterIP with no endpoints in filter and writes no nat chain for it', () => {
  const out = render([svc1], []);
  const filter = rulesByChain(out, 'filter');
  assert.deepEqual(filter.get('BERTH-SERVICES'), [
    '-A BERTH-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
  ]);
  const nat = rulesByChain(out, 'nat');
  assert.deepEqual(nat.get('BERTH-SERVICES'), [NODEPORTS_LAST]);
  assert.deepEqual([...nat.keys()], ['BERTH-SERVICES', 'BERTH-NODEPORTS', 'BERTH-POSTROUTING', 'BERTH-MARK-MASQ']);
});

test('renderRules spreads over three endpoints with probabilities 1/3, 1/2, then the rest, in address order', () => {
  const out = render([svc1], [eps1('10.180.0.3', '10.180.0.1', '10.180.0.2')]);
  const svc = rulesByChain(out, 'nat').get('BERTH-SVC-XPGD46QRK7WJZT7O')!;
  const sep = (ip: string) => endpointChain('ns1/svc1:p80', 'tcp', `${ip}:80`);
  assert.deepEqual(svc.slice(1), [
    `-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.3333333333 -j ${sep('10.180.0.1')}`,
    `-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.180.0.2')}`,
    `-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:80" -j ${sep('10.180.0.3')}`,
  ]);
  for (const ip of ['10.180.0.1', '10.180.0.2', '10.180.0.3']) {
    assert.deepEqual(rulesByChain(out, 'nat').get(sep(ip)), [
      `-A ${sep(ip)} -m comment --comment ns1/svc1:p80 -s ${ip} -j BERTH-MARK-MASQ`,
      `-A ${sep(ip)} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination ${ip}:80`,
    ]);
  }
});

test('renderRules matches endpoints to Service ports by port name and protocol', () => {
  const svc = makeService('ns1', 'web', {
    clusterIP: '172.30.0.50',
    ports: [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'missing', port: 81, protocol: 'TCP' },
    ],
  });
  const slice = makeSlice('ns1', 'web', [{ addresses: ['10.180.0.7'] }], [
    { name: 'http', port: 8080, protocol: 'TCP' },
    { name: 'dns', port: 5353, protocol: 'UDP' },
    { name: 'missing', port: 81, protocol: 'UDP' },
  ]);
  const out = render([svc], [slice]);
  const nat = rulesByChain(out, 'nat');
  const http = servicePortChain('svc', 'ns1/web:http', 'tcp');
  const dns = servicePortChain('svc', 'ns1/web:dns', 'udp');
  assert.ok(nat.get('BERTH-SERVICES')!.includes(`-A BERTH-SERVICES -m comment --comment "ns1/web:http cluster IP" -m tcp -p tcp -d 172.30.0.50 --dport 80 -j ${http}`));
  assert.ok(nat.get('BERTH-SERVICES')!.includes(`-A BERTH-SERVICES -m comment --comment "ns1/web:dns cluster IP" -m udp -p udp -d 172.30.0.50 --dport 53 -j ${dns}`));
  const httpSep = endpointChain('ns1/web:http', 'tcp', '10.180.0.7:8080');
  const dnsSep = endpointChain('ns1/web:dns', 'udp', '10.180.0.7:5353');
  assert.ok(nat.get(httpSep)!.at(-1)!.endsWith('-m tcp -p tcp -j DNAT --to-destination 10.180.0.7:8080'));
  assert.ok(nat.get(dnsSep)!.at(-1)!.endsWith('-m udp -p udp -j DNAT --to-destination 10.180.0.7:5353'));
  // "missing" has an endpoint port of the same name but another protocol: none for TCP.
  assert.deepEqual(rulesByChain(out, 'filter').get('BERTH-SERVICES'), [
    '-A BERTH-SERVICES -m comment --comment "ns1/web:missing has no endpoints" -m tcp -p tcp -d 172.30.0.50 --dport 81 -j REJECT',
  ]);
});

test('renderRules serves an unnamed port from a slice port named "", and ignores a slice port without a name', () => {
  const svc = makeService('ns1', 'plain', { clusterIP: '172.30.0.51', ports: [{ port: 80, protocol: 'TCP' }] });
  const named = render([svc], [makeSlice('ns1', 'plain', [{ addresses: ['10.180.0.8'] }], [{ name: '', port: 80, protocol: 'TCP' }])]);
  assert.ok(named.includes(`-A BERTH-SERVICES -m comment --comment "ns1/plain cluster IP" -m tcp -p tcp -d 172.30.0.51 --dport 80 -j ${servicePortChain('svc', 'ns1/plain', 'tcp')}`));
  const nameless = render([svc], [makeSlice('ns1', 'plain', [{ addresses: ['10.180.0.8'] }], [{ port: 80, protocol: 'TCP' }])]);
  assert.ok(nameless.includes('-A BERTH-SERVICES -m comment --comment "ns1/plain has no endpoints"'));
});

test('renderRules sends a NodePort through the EXT chain, which masquerades', () => {
  const svc = makeService('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3003 }] });
  const out = render([svc], [makeSlice('ns3', 'svc3', [{ addresses: ['10.180.0.3'] }], [tcpPort('p80', 80)])]);
  const nat = rulesByChain(out, 'nat');
  assert.deepEqual(nat.get('BERTH-NODEPORTS'), ['-A BERTH-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j BERTH-EXT-X27LE4BHSL4DOUIK']);
  assert.deepEqual(nat.get('BERTH-EXT-X27LE4BHSL4DOUIK'), [
    '-A BERTH-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j BERTH-MARK-MASQ',
    '-A BERTH-EXT-X27LE4BHSL4DOUIK -j BERTH-SVC-X27LE4BHSL4DOUIK',
  ]);
  // Without endpoints the node port is refused on every local address.
  const none = render([svc], []);
  assert.deepEqual(rulesByChain(none, 'filter').get('BERTH-EXTERNAL-SERVICES'), [
    '-A BERTH-EXTERNAL-SERVICES -m comment --comment "ns3/svc3:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3003 -j REJECT',
  ]);
  assert.deepEqual(rulesByChain(none, 'nat').get('BERTH-NODEPORTS'), []);
});

test('renderRules leaves 127.0.0.0/8 out of node ports when localhost node ports are off', () => {
  const out = render([svc1], [], { localhostNodePorts: false });
  assert.ok(out.includes('-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j BERTH-NODEPORTS'));
});

test('renderRules drops no INVALID packets when nf_conntrack_tcp_be_liberal is set', () => {
  assert.ok(render([svc1], []).includes('--ctstate INVALID -j DROP'));
  assert.ok(!render([svc1], [], { conntrackTcpLiberal: true }).includes('INVALID'));
});

test('renderRules keeps a ClientIP session with recent lists named after the endpoint chain', () => {
  const sticky = makeService('ns5', 'svc5', {
    clusterIP: '172.30.0.45',
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
  });
  const out = render([sticky], [makeSlice('ns5', 'svc5', [{ addresses: ['10.180.0.3'] }, { addresses: ['10.180.0.4'] }], [tcpPort('p80', 80)])]);
  const nat = rulesByChain(out, 'nat');
  const svc = servicePortChain('svc', 'ns5/svc5:p80', 'tcp');
  const sep3 = 'BERTH-SEP-I77PXRDZVX7PMWMN';
  const sep4 = endpointChain('ns5/svc5:p80', 'tcp', '10.180.0.4:80');
  assert.deepEqual(nat.get(svc)!.slice(1), [
    `-A ${svc} -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name ${sep3} --rcheck --seconds 600 --reap -j ${sep3}`,
    `-A ${svc} -m comment --comment "ns5/svc5:p80 -> 10.180.0.4:80" -m recent --name ${sep4} --rcheck --seconds 600 --reap -j ${sep4}`,
    `-A ${svc} -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m statistic --mode random --probability 0.5000000000 -j ${sep3}`,
    `-A ${svc} -m comment --comment "ns5/svc5:p80 -> 10.180.0.4:80" -j ${sep4}`,
  ]);
  assert.equal(
    nat.get(sep3)![1],
    `-A ${sep3} -m comment --comment ns5/svc5:p80 -m recent --name ${sep3} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80`,
  );
  // No timeout given: the API's default, 3 hours.
  const defaulted = render([makeService('ns5', 'svc5', { ...sticky.spec, sessionAffinityConfig: undefined })], [makeSlice('ns5', 'svc5', [{ addresses: ['10.180.0.3'] }], [tcpPort('p80', 80)])]);
  assert.ok(defaulted.includes('--rcheck --seconds 10800 --reap'));
});

test('renderRules ignores ExternalName and headless Services and a cluster IP that is not IPv4', () => {
  const out = render(
    [
      makeService('ns1', 'ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }),
      makeService('ns1', 'headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      makeService('ns1', 'v6', { clusterIP: 'fd00::1', ports: [{ port: 80 }] }),
      makeService('ns1', 'bad', { clusterIP: '10.96.0.010', ports: [{ port: 80 }] }),
    ],
    [makeSlice('ns1', 'headless', [{ addresses: ['10.180.0.1'] }], [{ name: '', port: 80 }])],
  );
  assert.equal(out, render([], []));
});

test('renderRules treats a LoadBalancer with <pending> ingress as a NodePort, and captures a VIP ingress IP', () => {
  const spec = { type: 'LoadBalancer', clusterIP: '172.30.0.47', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3004 }] };
  const slice = makeSlice('ns7', 'lb', [{ addresses: ['10.180.0.9'] }], [tcpPort('p80', 80)]);
  const nodePort = makeService('ns7', 'lb', { ...spec, type: 'NodePort' });
  assert.equal(render([makeService('ns7', 'lb', spec)], [slice]), render([nodePort], [slice]));
  const ext = servicePortChain('ext', 'ns7/lb:p80', 'tcp');
  const withIngress = render([makeService('ns7', 'lb', spec, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { ip: '5.6.7.9', ipMode: 'Proxy' }, { hostname: 'lb.example' }] } })], [slice]);
  const services = rulesByChain(withIngress, 'nat').get('BERTH-SERVICES')!;
  assert.ok(services.includes(`-A BERTH-SERVICES -m comment --comment "ns7/lb:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j ${ext}`));
  assert.ok(!withIngress.includes('5.6.7.9'));
});

test('renderRules uses terminating endpoints only when no endpoint is ready, and only serving ones', () => {
  const ep = (ip: string, ready: boolean, serving: boolean, terminating: boolean) => ({ addresses: [ip], conditions: { ready, serving, terminating } });
  const targets = (slices: EndpointSlice[]) =>
    (rulesByChain(render([svc1], slices), 'nat').get('BERTH-SVC-XPGD46QRK7WJZT7O') ?? []).slice(1).map((r) => /--comment "ns1\/svc1:p80 -> (\S+)"/.exec(r)![1]);
  const slice = (...eps: ReturnType<typeof ep>[]) => makeSlice('ns1', 'svc1', eps, [tcpPort('p80', 80)]);
  assert.deepEqual(targets([slice(ep('10.180.0.1', true, true, false), ep('10.180.0.2', false, true, true))]), ['10.180.0.1:80']);
  assert.deepEqual(targets([slice(ep('10.180.0.1', false, true, true), ep('10.180.0.2', false, true, true), ep('10.180.0.3', false, false, true))]), ['10.180.0.1:80', '10.180.0.2:80']);
  // Not ready and not terminating (a pod failing its readiness probe): never used.
  assert.deepEqual(targets([slice(ep('10.180.0.1', false, false, false))]), []);
  assert.ok(render([svc1], [slice(ep('10.180.0.1', false, false, true))]).includes('"ns1/svc1:p80 has no endpoints"'));
});

test('renderRules drops ClusterIP traffic when internalTrafficPolicy Local finds no endpoint on this node', () => {
  const local = makeService('ns1', 'svc1', { ...svc1.spec, internalTrafficPolicy: 'Local' });
  const remote = render([local], [makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'], nodeName: 'other' }], [tcpPort('p80', 80)])]);
  assert.ok(remote.includes('-A BERTH-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP'));
  const here = render([local], [makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'], nodeName: 'test-node' }], [tcpPort('p80', 80)])]);
  assert.ok(here.includes('-A BERTH-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j BERTH-SVL-XPGD46QRK7WJZT7O'));
  assert.ok(here.includes('-A BERTH-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j BERTH-SEP-SXIVWICOYRO3J4NJ'));
});

test('renderRules leaves out endpoints and addresses it could not write', () => {
  const out = render(
    [makeService('ns1', 'svc1', { ...svc1.spec, externalIPs: ['192.168.99.1 -j ACCEPT', '192.168.99.2'] })],
    [eps1('10.180.0.1', '10.180.0.999', 'not-an-ip')],
  );
  assert.ok(!out.includes('999') && !out.includes('not-an-ip') && !out.includes('99.1'));
  assert.ok(out.includes('-d 192.168.99.2 --dport 80'));
  assert.throws(() => render([svc1], [], { clusterCidr: '10.0.0.0' }), /cluster CIDR "10.0.0.0" is not an IPv4 CIDR/);
});

/**
 * kube-proxy's TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go,
 * v1.33): the same six Services, the expected rules with BERTH- for KUBE-,
 * less what berth does not render — the health-check node port, the
 * loadBalancerSourceRanges firewall of svc5 (its load balancer IP goes to EXT
 * directly), KUBE-FIREWALL and the nfacct counters — and with
 * `--random-fully`, which kube-proxy's fake iptables does not claim.
 */
test('renderRules reproduces kube-proxy TestOverallIPTablesRules', () => {
  const tcp80 = (nodePort?: number) => [{ name: 'p80', port: 80, protocol: 'TCP', nodePort }];
  const services = [
    makeService('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: tcp80() }),
    makeService(
      'ns2',
      'svc2',
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', ports: tcp80(3001), externalIPs: ['192.168.99.22'], healthCheckNodePort: 30000 },
      { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    ),
    makeService('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: tcp80(3003) }),
    makeService('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: tcp80() }),
    makeService(
      'ns5',
      'svc5',
      { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', clusterIP: '172.30.0.45', ports: tcp80(3002), sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
      { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    ),
    makeService('ns6', 'svc6', { clusterIP: '172.30.0.46', ports: tcp80() }),
  ];
  const slices = [
    makeSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }], [tcpPort('p80', 80)]),
    makeSlice('ns2', 'svc2', [{ addresses: ['10.180.0.2'] }], [tcpPort('p80', 80)]),
    makeSlice('ns3', 'svc3', [{ addresses: ['10.180.0.3'] }], [tcpPort('p80', 80)]),
    makeSlice('ns4', 'svc4', [{ addresses: ['10.180.0.4'] }, { addresses: ['10.180.0.5'], nodeName: 'test-node' }], [tcpPort('p80', 80)]),
    makeSlice('ns5', 'svc5', [{ addresses: ['10.180.0.3'] }], [tcpPort('p80', 80)]),
  ];
  const expected = `
*filter
:BERTH-SERVICES - [0:0]
:BERTH-EXTERNAL-SERVICES - [0:0]
:BERTH-FORWARD - [0:0]
-A BERTH-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A BERTH-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A BERTH-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A BERTH-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
-A BERTH-FORWARD -m conntrack --ctstate INVALID -j DROP
-A BERTH-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A BERTH-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:BERTH-NODEPORTS - [0:0]
:BERTH-SERVICES - [0:0]
:BERTH-EXT-4SW47YFZTEDKD3PK - [0:0]
:BERTH-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:BERTH-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:BERTH-EXT-X27LE4BHSL4DOUIK - [0:0]
:BERTH-MARK-MASQ - [0:0]
:BERTH-POSTROUTING - [0:0]
:BERTH-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:BERTH-SEP-I77PXRDZVX7PMWMN - [0:0]
:BERTH-SEP-OYPFS5VJICHGATKP - [0:0]
:BERTH-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:BERTH-SEP-SXIVWICOYRO3J4NJ - [0:0]
:BERTH-SEP-UKSFD7AGPMPPLUHC - [0:0]
:BERTH-SVC-4SW47YFZTEDKD3PK - [0:0]
:BERTH-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:BERTH-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:BERTH-SVC-X27LE4BHSL4DOUIK - [0:0]
:BERTH-SVC-XPGD46QRK7WJZT7O - [0:0]
-A BERTH-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j BERTH-EXT-GNZBNJ2PO5MGZ6GT
-A BERTH-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j BERTH-EXT-X27LE4BHSL4DOUIK
-A BERTH-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j BERTH-EXT-NUKIZ6OKUXPJNT4C
-A BERTH-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j BERTH-SVC-XPGD46QRK7WJZT7O
-A BERTH-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j BERTH-SVC-GNZBNJ2PO5MGZ6GT
-A BERTH-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j BERTH-EXT-GNZBNJ2PO5MGZ6GT
-A BERTH-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j BERTH-EXT-GNZBNJ2PO5MGZ6GT
-A BERTH-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j BERTH-SVC-X27LE4BHSL4DOUIK
-A BERTH-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j BERTH-SVC-4SW47YFZTEDKD3PK
-A BERTH-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j BERTH-EXT-4SW47YFZTEDKD3PK
-A BERTH-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j BERTH-SVC-NUKIZ6OKUXPJNT4C
-A BERTH-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j BERTH-EXT-NUKIZ6OKUXPJNT4C
-A BERTH-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j BERTH-NODEPORTS
-A BERTH-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j BERTH-MARK-MASQ
-A BERTH-EXT-4SW47YFZTEDKD3PK -j BERTH-SVC-4SW47YFZTEDKD3PK
-A BERTH-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j BERTH-SVC-GNZBNJ2PO5MGZ6GT
-A BERTH-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j BERTH-MARK-MASQ
-A BERTH-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j BERTH-SVC-GNZBNJ2PO5MGZ6GT
-A BERTH-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j BERTH-MARK-MASQ
-A BERTH-EXT-NUKIZ6OKUXPJNT4C -j BERTH-SVC-NUKIZ6OKUXPJNT4C
-A BERTH-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j BERTH-MARK-MASQ
-A BERTH-EXT-X27LE4BHSL4DOUIK -j BERTH-SVC-X27LE4BHSL4DOUIK
-A BERTH-MARK-MASQ -j MARK --or-mark 0x4000
-A BERTH-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A BERTH-POSTROUTING -j MARK --xor-mark 0x4000
-A BERTH-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A BERTH-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j BERTH-MARK-MASQ
-A BERTH-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A BERTH-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j BERTH-MARK-MASQ
-A BERTH-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name BERTH-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A BERTH-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j BERTH-MARK-MASQ
-A BERTH-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A BERTH-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j BERTH-MARK-MASQ
-A BERTH-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A BERTH-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j BERTH-MARK-MASQ
-A BERTH-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A BERTH-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j BERTH-MARK-MASQ
-A BERTH-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A BERTH-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ
-A BERTH-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j BERTH-SEP-UKSFD7AGPMPPLUHC
-A BERTH-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j BERTH-SEP-C6EBXVWJJZMIWKLZ
-A BERTH-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ
-A BERTH-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j BERTH-SEP-RS4RBKLTHTF2IUXJ
-A BERTH-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ
-A BERTH-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name BERTH-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j BERTH-SEP-I77PXRDZVX7PMWMN
-A BERTH-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j BERTH-SEP-I77PXRDZVX7PMWMN
-A BERTH-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ
-A BERTH-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j BERTH-SEP-OYPFS5VJICHGATKP
-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j BERTH-MARK-MASQ
-A BERTH-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j BERTH-SEP-SXIVWICOYRO3J4NJ
COMMIT
`;
  const out = render(services, slices);
  for (const table of ['filter', 'nat']) {
    const sorted = (m: Map<string, string[]>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
    assert.deepEqual(sorted(rulesByChain(out, table)), sorted(rulesByChain(expected, table)), `table ${table}`);
  }
});
