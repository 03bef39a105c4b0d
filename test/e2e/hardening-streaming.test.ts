/**
 * Malformed streaming frames (hardening, defect 4): a client that sends a
 * SPDY frame containerd's SPDY library cannot survive (a SETTINGS frame
 * claiming 2³²−1 entries makes Go's framer allocate ~48 GB) or a malformed
 * WebSocket frame loses its own session only. containerd keeps running (same
 * pid), the node stays Ready, and exec over SPDY (kubectl 1.29) and
 * WebSocket (the default kubectl) works right afterwards. SPDY frames are
 * checked by berth (spdy-client-filter.ts) and WebSocket frames of the
 * protocols berth terminates never reach containerd; one case checks that a
 * subprotocol proxied to containerd's own WebSocket server is bounded there.
 *
 * The sessions are opened with raw TLS sockets and the admin token, so the
 * test writes the exact bytes a hostile client would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { encodeFrame, FrameDecoder, Opcode } from '../../src/wire/wire.ts';
import { BerthNode, kubectlBin } from './harness.ts';

const kubectl129 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.29';

/** SETTINGS, version 3, no flags, length 4, entry count 0xffffffff: what brought containerd down. */
const hugeSettings = Buffer.from([0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff]);

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

interface Upgraded {
  socket: TLSSocket;
  status: number;
  head: string;
  /** Bytes after the response head, and everything read since. */
  received: Buffer[];
  closed: Promise<void>;
}

/**
 * Sends an upgrade request (plus `extra` bytes in the same write, as a client
 * that does not wait for the 101 would) and resolves with the response head.
 */
async function upgrade(node: BerthNode, method: 'GET' | 'POST', path: string, headers: Record<string, string>, extra: Buffer = Buffer.alloc(0)): Promise<Upgraded> {
  const kc = parseYaml(readFileSync(node.kubeconfig, 'utf8'));
  const server = new URL(kc.clusters[0].cluster.server);
  const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
  const socket = connect({ host: server.hostname, port: Number(server.port), ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${server.host}`, `Authorization: Bearer ${kc.users[0].user.token}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), extra]));
  const received: Buffer[] = [];
  let buf = Buffer.alloc(0);
  const head = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      received.push(buf.subarray(end + 4));
      socket.on('data', (more: Buffer) => received.push(more));
      resolve(buf.subarray(0, end).toString('latin1'));
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`the connection closed before a response head: ${buf.toString('latin1')}`)));
  });
  return { socket, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, received, closed };
}

function spdyExec(node: BerthNode, extra?: Buffer): Promise<Upgraded> {
  const q = 'command=cat&container=app&stdin=true&stdout=true';
  return upgrade(node, 'POST', `/api/v1/namespaces/default/pods/shell/exec?${q}`, {
    Connection: 'Upgrade',
    Upgrade: 'SPDY/3.1',
    'X-Stream-Protocol-Version': 'v4.channel.k8s.io',
  }, extra);
}

function webSocket(node: BerthNode, path: string, protocol: string): Promise<Upgraded> {
  return upgrade(node, 'GET', path, {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Protocol': protocol,
  });
}

/** Resolves when the connection closes; fails after `ms`. */
async function closesWithin(u: Upgraded, ms: number, what: string): Promise<void> {
  const timer = sleep(ms).then(() => {
    throw new Error(`${what}: the connection stayed open for ${ms} ms`);
  });
  await Promise.race([u.closed, timer]);
  timer.catch(() => {});
}

/** The code of the close frame that ends what the server sent on a WebSocket. */
function lastCloseCode(u: Upgraded): number | undefined {
  const frames = new FrameDecoder({ requireMask: false, maxPayload: 1 << 20 }).push(Buffer.concat(u.received));
  const close = frames.at(-1);
  return close?.opcode === Opcode.close ? close.payload.readUInt16BE(0) : undefined;
}

function containerdPid(node: BerthNode): number {
  const file = join(node.dataDir, 'containerd', 'containerd.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** containerd is the same process as before, still running, and the node is Ready. */
async function assertNodeUnharmed(node: BerthNode, pid: number, what: string): Promise<void> {
  // A crash shows within moments: Go's allocator fails at once on a 48 GB request.
  await sleep(1000);
  assert.ok(alive(pid), `${what}: containerd (pid ${pid}) is no longer running`);
  assert.equal(containerdPid(node), pid, `${what}: containerd was restarted`);
  const ready = await node.k('get', 'nodes', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}');
  assert.equal(ready, 'True', `${what}: the node is not Ready`);
}

/** A normal exec over SPDY (kubectl 1.29) and WebSocket (default kubectl) still works. */
async function assertExecWorks(node: BerthNode, what: string): Promise<void> {
  for (const bin of [kubectl129, kubectlBin]) {
    const r = await node.kubectl(['exec', '-i', 'shell', '--', 'cat'], { bin, input: 'still here\n', timeoutMs: 30_000 });
    assert.deepEqual([r.code, r.stdout], [0, 'still here\n'], `${what}: exec with ${bin} failed: ${r.stderr}`);
  }
}

test('a malformed SPDY or WebSocket frame closes only its own session and containerd keeps running', async (t) => {
  const node = await BerthNode.start(t);
  const applied = await node.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/shell', '{.status.phase}', (v) => v === 'Running', 60_000);
  const pid = containerdPid(node);
  assert.ok(pid > 0 && alive(pid), 'containerd runs');

  await t.test('SPDY exec: a SETTINGS frame with 2³²−1 entries, sent after the 101', async () => {
    const u = await spdyExec(node);
    assert.equal(u.status, 101, u.head);
    u.socket.write(hugeSettings);
    await closesWithin(u, 10_000, 'SETTINGS after the 101');
    await assertNodeUnharmed(node, pid, 'SETTINGS after the 101');
    await assertExecWorks(node, 'SETTINGS after the 101');
  });

  await t.test('SPDY exec: the same frame sent with the upgrade request', async () => {
    const u = await spdyExec(node, hugeSettings);
    assert.equal(u.status, 101, u.head);
    await closesWithin(u, 10_000, 'SETTINGS with the request');
    await assertNodeUnharmed(node, pid, 'SETTINGS with the request');
  });

  await t.test('port-forward over the WebSocket tunnel: the frame inside a binary message', async () => {
    const u = await webSocket(node, '/api/v1/namespaces/default/pods/shell/portforward?ports=80', 'SPDY/3.1+portforward.k8s.io');
    assert.equal(u.status, 101, u.head);
    u.socket.write(encodeFrame(Opcode.binary, hugeSettings, { mask: randomBytes(4) }));
    await closesWithin(u, 10_000, 'SETTINGS in the tunnel');
    assert.equal(lastCloseCode(u), 1002);
    await assertNodeUnharmed(node, pid, 'SETTINGS in the tunnel');
  });

  const wsFrames: { name: string; bytes: () => Buffer }[] = [
    { name: 'an unmasked frame', bytes: () => encodeFrame(Opcode.binary, Buffer.from([0, 0x41])) },
    { name: 'a reserved opcode', bytes: () => encodeFrame(0x3, Buffer.from('x'), { mask: randomBytes(4) }) },
    // 64-bit length 2⁶³−1, masked, with no payload following.
    { name: 'a 64-bit length of 2⁶³−1', bytes: () => Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]) },
    { name: 'a fragmented ping', bytes: () => encodeFrame(Opcode.ping, Buffer.from('p'), { fin: false, mask: randomBytes(4) }) },
  ];
  for (const f of wsFrames) {
    await t.test(`WebSocket exec (v5.channel.k8s.io): ${f.name}`, async () => {
      const u = await webSocket(node, '/api/v1/namespaces/default/pods/shell/exec?command=cat&container=app&stdin=true&stdout=true', 'v5.channel.k8s.io');
      assert.equal(u.status, 101, u.head);
      u.socket.write(f.bytes());
      await closesWithin(u, 10_000, f.name);
      // The server's last frame is a close with 1002 (protocol error) or 1009 (too big).
      const code = lastCloseCode(u);
      assert.ok(code === 1002 || code === 1009, `${f.name}: close code ${code}`);
      await assertNodeUnharmed(node, pid, f.name);
    });
  }
  // Subprotocols berth does not speak go to containerd's own WebSocket server byte for byte;
  // it bounds frames itself (x/net/websocket's 32 MiB DefaultMaxPayloadBytes).
  await t.test('WebSocket exec proxied to containerd (channel.k8s.io): a 64-bit length of 2⁶³−1', async () => {
    const u = await webSocket(node, '/api/v1/namespaces/default/pods/shell/exec?command=cat&container=app&stdin=true&stdout=true', 'channel.k8s.io');
    assert.equal(u.status, 101, u.head);
    u.socket.write(wsFrames[2].bytes());
    await closesWithin(u, 10_000, 'a huge length to containerd');
    await assertNodeUnharmed(node, pid, 'a huge length to containerd');
  });
  await assertExecWorks(node, 'after every malformed frame');
});
