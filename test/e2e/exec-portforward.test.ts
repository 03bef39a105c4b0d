/**
 * `kubectl port-forward` (issue 4): HTTP requests to 127.0.0.1 reach busybox
 * httpd in the pod, over the WebSocket tunnel kubectl ≥ 1.31 uses
 * (`SPDY/3.1+portforward.k8s.io`) and plain SPDY (1.29, 1.27), in both the
 * `PORT` and `LOCAL:REMOTE` forms; a pod that is not running is refused by
 * kubectl itself, as against a cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BerthNode, kubectlBin } from './harness.ts';

const sdk = '/usr/lib/google-cloud-sdk/bin';
const clients = [
  { name: 'kubectl (dispatcher, WebSocket tunnel)', bin: kubectlBin, tunnel: true },
  { name: 'kubectl 1.32 (WebSocket tunnel)', bin: `${sdk}/kubectl.1.32`, tunnel: true },
  { name: 'kubectl 1.29 (SPDY)', bin: `${sdk}/kubectl.1.29`, tunnel: false },
  { name: 'kubectl 1.27 (SPDY)', bin: `${sdk}/kubectl.1.27`, tunnel: false },
];

/** A port nobody listens on right now (the kernel's pick, released again). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 20_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('HTTP request timed out')));
    req.on('error', reject);
  });
}

/** Runs `kubectl port-forward`, waits for its "Forwarding from" line, and stops it afterwards. */
async function portForward(node: BerthNode, bin: string, args: string[], t: { after(fn: () => unknown): void }): Promise<() => string> {
  const child = spawn(bin, ['--cache-dir', join(node.dataDir, 'kubectl-cache'), 'port-forward', ...args], {
    env: { ...process.env, ...node.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const closed = new Promise((r) => child.on('close', r));
  t.after(async () => {
    child.kill('SIGTERM');
    await closed;
  });
  const end = Date.now() + 30_000;
  while (!/Forwarding from 127\.0\.0\.1:\d+ -> \d+/.test(out)) {
    if (child.exitCode !== null) throw new Error(`kubectl port-forward exited ${child.exitCode}: ${out}`);
    if (Date.now() > end) throw new Error(`kubectl port-forward never started forwarding: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return () => out;
}

test('kubectl port-forward reaches a container port over the WebSocket tunnel and SPDY', async (t) => {
  const node = await BerthNode.start(t);
  // The pod serves on a port the test picks, so `port-forward POD PORT` (same
  // local port) cannot collide with anything else on the machine.
  const same = await freePort();
  const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo 'hello from web' > /www/index.html && echo second > /www/two.html && exec httpd -f -p 8080 -h /www"]
    ports: [{containerPort: 8080}]
  - name: other
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /w && echo 'other port' > /w/index.html && exec httpd -f -p ${same} -h /w"]
---
apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  initContainers:
  - name: wait
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  containers:
  - name: app
    image: busybox:1.35
`;
  const applied = await node.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/web', '{.status.phase}', (v) => v === 'Running', 60_000);

  for (const c of clients) {
    await t.test(`${c.name}: LOCAL:REMOTE carries several HTTP requests`, async (tt) => {
      const local = await freePort();
      // -v=4 makes kubectl say which dialer it used.
      const output = await portForward(node, c.bin, ['-v=4', 'web', `${local}:8080`], tt);
      assert.match(output(), new RegExp(`Forwarding from 127\\.0\\.0\\.1:${local} -> 8080`));
      if (c.tunnel) {
        assert.match(output(), /tunneling_dialer\.go:\d+\] negotiated protocol: portforward\.k8s\.io/);
        assert.doesNotMatch(output(), /fallback/i);
      }
      assert.deepEqual(await httpGet(local, '/'), { status: 200, body: 'hello from web\n' });
      assert.deepEqual(await httpGet(local, '/two.html'), { status: 200, body: 'second\n' });
      assert.equal((output().match(/Handling connection for \d+/g) ?? []).length, 2);
    });
  }

  await t.test('kubectl (dispatcher): PORT forwards the same local port', async (tt) => {
    const output = await portForward(node, kubectlBin, ['pod/web', String(same)], tt);
    assert.match(output(), new RegExp(`Forwarding from 127\\.0\\.0\\.1:${same} -> ${same}`));
    assert.deepEqual(await httpGet(same, '/'), { status: 200, body: 'other port\n' });
  });

  await t.test('a pod that is not running is refused by kubectl, as on a cluster', async () => {
    const r = await node.kubectl(['port-forward', 'stuck', '9999'], { timeoutMs: 30_000 });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: unable to forward port because pod is not running. Current status=Pending');
  });
});
