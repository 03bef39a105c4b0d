/**
 * The pod network's boundary with the node's loopback (CVE-2020-8558). The
 * CNI portmap plugin sets route_localnet=1 on the bridge for hostPort on
 * 127.0.0.1, which lets a pod reach services bound to the node's 127.0.0.1
 * (the API server, containerd's streaming server) with a hand-made frame:
 * destination 127.0.0.1, sent to the gateway's MAC. berth drops such traffic
 * as kube-proxy does (containerd/localnet-firewall.ts); traffic that hostPort
 * DNATs keeps flowing, from the host's loopback and from pods. The node
 * holds the firewall while it serves and lets go when it stops; it is gone
 * when no other node or pod is left (other tests may run nodes beside this
 * one, so that last check runs only when none does).
 *
 * The probe (syn-probe.c) is built static with gcc at test time and reaches
 * the pod through a hostPath volume; it runs as root in busybox with
 * containerd's default capabilities, CAP_NET_RAW among them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_BRIDGE } from '../../src/containerd/cni-config.ts';
import { LOCALNET_FIREWALL_CHAIN } from '../../src/containerd/localnet-firewall.ts';
import { LOCALNET_FIREWALL_LEASE_DIR } from '../../src/containerd/localnet-firewall-holders.ts';
import { listeningTcpAddress } from '../../src/containerd/process-table.ts';
import { BerthNode } from './harness.ts';

const GCC = '/usr/bin/gcc';

/** Builds syn-probe.c into a fresh directory (removed after the test); returns the directory. */
function buildProbe(t: { after(fn: () => void): void }): string {
  assert.ok(existsSync(GCC), `${GCC} not found: the network hardening test builds its probe with gcc; install it with "apt-get install gcc libc6-dev" (scripts/setup.sh does)`);
  const dir = mkdtempSync(join(tmpdir(), 'berth-syn-probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync(GCC, ['-static', '-O2', '-o', join(dir, 'syn-probe'), join(import.meta.dirname, 'syn-probe.c')], { stdio: 'pipe' });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    assert.fail(`build the SYN probe with "${GCC} -static": ${stderr.trim()}; static linking needs libc.a: install it with "apt-get install libc6-dev"`);
  }
  return dir;
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    })
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error(`GET ${url}: no answer within 10 s`));
      })
      .on('error', reject);
  });
}

function manifest(probeDir: string, hostPort: number): string {
  return `
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox:1.35
    command: ['sh', '-c', 'mkdir -p /www && echo "hello from web" > /www/index.html && exec httpd -f -p 8080 -h /www']
    ports:
    - containerPort: 8080
      hostPort: ${hostPort}
---
apiVersion: v1
kind: Pod
metadata:
  name: prober
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: prober
    image: busybox:1.35
    command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait']
    volumeMounts: [{name: probe, mountPath: /probe, readOnly: true}]
  volumes:
  - name: probe
    hostPath: {path: ${probeDir}, type: Directory}
`;
}

test('an ordinary pod gets no answer from services on the node\'s 127.0.0.1, while hostPort keeps working over loopback and from pods; the node holds the firewall while it serves', async (t) => {
  const probeDir = buildProbe(t);
  const node = await BerthNode.start(t);
  const apiPort = Number(new URL(parseYaml(readFileSync(node.kubeconfig, 'utf8')).clusters[0].cluster.server).port);
  const hostPort = 20000 + Math.floor(Math.random() * 10000);
  const r = await node.kubectl(['apply', '-f', '-'], { input: manifest(probeDir, hostPort) });
  assert.equal(r.code, 0, r.stderr);
  await node.waitForJsonpath('pod/web', '{.status.phase}', (p) => p === 'Running', 60_000);
  await node.waitForJsonpath('pod/prober', '{.status.phase}', (p) => p === 'Running', 60_000);

  // hostPort from the node over loopback: DNAT, then route_localnet lets 127.0.0.1 leave on the bridge.
  let body = '';
  for (let i = 0; i < 50 && body !== 'hello from web\n'; i++) {
    body = await httpGet(`http://127.0.0.1:${hostPort}/`).catch((e: Error) => e.message);
    if (body !== 'hello from web\n') await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(body, 'hello from web\n', 'hostPort answers on the node\'s 127.0.0.1');
  // hostPort from a pod, at the node's address (status.hostIP).
  const fromPod = await node.kubectl(['exec', 'prober', '--', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.244.0.1 ${hostPort}`]);
  assert.match(fromPod.stdout, /^HTTP\/1\.[01] 200 .*\r\n\r\nhello from web\n$/s, fromPod.stderr);

  // What makes the attack possible at all; without it the probe proves nothing.
  const routeLocalnet = readFileSync(`/proc/sys/net/ipv4/conf/${DEFAULT_BRIDGE}/route_localnet`, 'utf8').trim();
  assert.equal(routeLocalnet, '1', `route_localnet on ${DEFAULT_BRIDGE} (portmap sets it for hostPort)`);
  const gatewayMac = readFileSync(`/sys/class/net/${DEFAULT_BRIDGE}/address`, 'utf8').trim();
  const probe = async (port: number) => {
    const out = await node.kubectl(['exec', 'prober', '--', '/probe/syn-probe', 'eth0', gatewayMac, '127.0.0.1', String(port), '2500']);
    assert.ok([0, 1, 2].includes(out.code), `syn-probe failed (${out.code}): ${out.stderr}${out.stdout}`);
    return out.stdout.trim();
  };

  // Control: the same frame to 127.0.0.1:<hostPort> is DNAT'd to the web pod and answered.
  assert.equal(await probe(hostPort), 'SYN-ACK', 'a SYN to 127.0.0.1:<hostPort> reaches the web pod (the probe works, DNAT is let through)');
  assert.equal(await probe(apiPort), 'no answer', `a SYN from a pod to the node's 127.0.0.1:${apiPort} (the API server)`);
  const containerdPid = Number(readFileSync(join(node.dataDir, 'containerd', 'containerd.pid'), 'utf8'));
  const stream = listeningTcpAddress(containerdPid);
  assert.ok(stream, 'containerd\'s streaming server listens');
  assert.equal(await probe(Number(stream.split(':')[1])), 'no answer', `a SYN from a pod to containerd's streaming server on ${stream}`);

  // The node holds the firewall while it serves, and lets go when it stops.
  const leases = readdirSync(LOCALNET_FIREWALL_LEASE_DIR).filter((l) => l.startsWith(`${node.pid}-`));
  assert.equal(leases.length, 1, 'the node holds one lease on the firewall');
  const lease = join(LOCALNET_FIREWALL_LEASE_DIR, leases[0]);
  assert.equal(readFileSync(lease, 'utf8'), `${node.dataDir}\n`);
  for (const hook of ['INPUT', 'OUTPUT']) {
    assert.equal(spawnSync('iptables', ['-w', '-C', hook, '-j', LOCALNET_FIREWALL_CHAIN]).status, 0, `${hook} jumps to ${LOCALNET_FIREWALL_CHAIN}`);
  }
  await node.k('delete', 'pods', '--all', '--grace-period=1', '--timeout=60s');
  assert.equal(await node.stop(), 0);
  assert.equal(existsSync(lease), false, 'the lease is gone once the node stopped');
  // Other nodes on this machine (tests running beside this one) may still hold it.
  const others = readdirSync(LOCALNET_FIREWALL_LEASE_DIR).filter((l) => existsSync(`/proc/${l.split('-')[0]}`));
  const podsLeft = readdirSync(`/sys/class/net/${DEFAULT_BRIDGE}/brif`).length;
  if (others.length === 0 && podsLeft === 0) {
    assert.notEqual(spawnSync('iptables', ['-w', '-n', '-L', LOCALNET_FIREWALL_CHAIN]).status, 0, `${LOCALNET_FIREWALL_CHAIN} is removed with the last node`);
    assert.equal(readFileSync(`/proc/sys/net/ipv4/conf/${DEFAULT_BRIDGE}/route_localnet`, 'utf8').trim(), '0');
  }
});
