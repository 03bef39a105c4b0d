/**
 * Fuzzing a running node (the hardening issue): for a bounded time and count,
 * malformed request targets, query strings, headers and bodies go to the API
 * server, and malformed WebSocket and SPDY frames go through exec upgrades to
 * a running pod. The node must stay up and ready, answer every error it
 * produces as a `Status` (never a 500, which would be an unhandled throw),
 * keep containerd running (no restart), and keep its memory bounded.
 * BERTH_FUZZ_SEED=<seed printed by the test> replays a run's inputs (the
 * order in which concurrent requests reach the node may differ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { BerthNode } from './harness.ts';
import { rng, type Rng } from '../seeded-random.ts';
import { body, headers, pick, requestTarget, spdyFrame, webSocketFrame } from './fuzz-inputs.ts';

const seed = Number(process.env.BERTH_FUZZ_SEED ?? Date.now() % 1_000_000);
const httpBudget = { requests: 2500, ms: 25_000 };
const upgradeBudget = { sessions: 60, framesPerSession: 12 };
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'BREW'];

interface Endpoint {
  port: number;
  ca: Buffer;
  token: string;
}

function endpointOf(node: BerthNode): Endpoint {
  const kc = parseYaml(readFileSync(node.kubeconfig, 'utf8'));
  return {
    port: Number(new URL(kc.clusters[0].cluster.server).port),
    ca: Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64'),
    token: kc.users[0].user.token,
  };
}

function open(ep: Endpoint): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: ep.port, ca: ep.ca, servername: 'localhost' }, () => resolve(s));
    s.once('error', reject);
  });
}

interface Answer {
  status: number;
  head: string;
  body: string;
}

/** Reads a response head and as much body as arrives within `ms` (streams such as watches are cut off). */
function readAnswer(s: TLSSocket, ms: number): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      s.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return resolve(undefined);
      const head = text.slice(0, end);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let rest = text.slice(end + 4);
      if (/transfer-encoding: chunked/i.test(head)) rest = dechunk(rest);
      resolve({ status, head, body: rest });
    };
    const timer = setTimeout(finish, ms);
    s.on('data', (d) => chunks.push(d));
    s.on('end', finish);
    s.on('close', finish);
    s.on('error', () => {});
  });
}

function dechunk(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const eol = text.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(text.slice(i, eol), 16);
    if (!(size > 0)) break;
    out += text.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
  return out;
}

async function fuzzRequest(ep: Endpoint, r: Rng): Promise<(Answer & { request: string }) | undefined> {
  const target = requestTarget(r);
  const method = pick(r, methods);
  const h = headers(r);
  const payload = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : body(r);
  const auth = r() < 0.05 ? pick(r, ['', 'Bearer ', 'Bearer wrong', 'Basic eDp5']) : `Bearer ${ep.token}`;
  const chunked = h['Transfer-Encoding'] === 'chunked';
  let head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
  if (auth) head += `Authorization: ${auth}\r\n`;
  for (const [k, v] of Object.entries(h)) head += `${k}: ${v}\r\n`;
  if (!chunked) head += `Content-Length: ${payload.length}\r\n`;
  const s = await open(ep);
  const answer = readAnswer(s, 2000);
  s.write(head + '\r\n');
  s.write(chunked ? Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]) : payload);
  const a = await answer;
  return a && { ...a, request: `${method} ${target} ${JSON.stringify(h)} ${payload.subarray(0, 300).toString('utf8')}` };
}

/** What makes an answer acceptable: no 500, and every JSON error body is a Status. */
function problemWith(a: Answer): string | undefined {
  // kube-apiserver answers an error that is not a Status (a strategic merge
  // patch's `list element types are not identical`) as a 500 without a
  // reason; only an unhandled throw (reason InternalError) is a problem.
  if (a.status === 500 && !/^\{"kind":"Status".*"code":500\}$/s.test(a.body)) return `500: ${a.body.slice(0, 300)}`;
  if (a.status === 500 && /"reason":/.test(a.body)) return `500: ${a.body.slice(0, 300)}`;
  if (a.status >= 400 && /content-type: application\/json/i.test(a.head) && a.body) {
    try {
      const status = JSON.parse(a.body);
      if (status.kind !== 'Status') return `error ${a.status} without a Status: ${a.body.slice(0, 200)}`;
    } catch {
      return `error ${a.status} with a body that is not JSON: ${a.body.slice(0, 200)}`;
    }
  }
  return undefined;
}

/** An exec upgrade to the running pod, then a burst of random frames of that protocol. */
async function fuzzUpgrade(ep: Endpoint, r: Rng, protocol: 'websocket' | 'spdy'): Promise<void> {
  const s = await open(ep);
  const path = `/api/v1/namespaces/${targetNamespace}/pods/fuzz-target/exec?container=app&command=cat&stdin=true&stdout=true&stderr=true`;
  const ws = `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ${pick(r, ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'bogus'])}\r\n`;
  const spdy = `Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${pick(r, ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'bogus'])}\r\n`;
  s.on('error', () => {});
  s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nAuthorization: Bearer ${ep.token}\r\n${protocol === 'websocket' ? ws : spdy}\r\n`);
  const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
  await Promise.race([sleep(400), closed]);
  for (let i = 0; i < upgradeBudget.framesPerSession && !s.destroyed; i++) {
    s.write(protocol === 'websocket' ? webSocketFrame(r) : spdyFrame(r));
    await sleep(5);
  }
  await Promise.race([sleep(200), closed]);
  s.destroy();
}

/**
 * The exec target lives in a namespace no fuzzed path names, so a fuzzed (and
 * legitimate) DELETE of default's pods cannot take it away.
 */
const targetNamespace = 'fuzz-quarry';
const targetPod = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: targetNamespace } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'fuzz-target', namespace: targetNamespace },
      spec: { containers: [{ name: 'app', image: 'busybox:1.35', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'], stdin: true }] },
    },
  ],
});

function existsSyncProc(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function containerdPid(node: BerthNode): number {
  return Number(readFileSync(join(node.dataDir, 'containerd', 'containerd.pid'), 'utf8').trim());
}

test(`a node fuzzed with malformed requests and stream frames stays up, answers Statuses and keeps its memory bounded (seed ${seed})`, { timeout: 240_000 }, async (t) => {
  const node = await BerthNode.start(t);
  const applied = await node.kubectl(['apply', '-f', '-'], { input: targetPod });
  assert.equal(applied.code, 0, applied.stderr);
  await node.k('wait', '-n', targetNamespace, '--for=jsonpath={.status.phase}=Running', 'pod/fuzz-target', '--timeout=60s');
  const ep = endpointOf(node);
  const pid = node.pid!;
  const containerd = containerdPid(node);
  const rssBefore = rssMiB(pid);
  const r = rng(seed);

  const problems: string[] = [];
  const counts = new Map<number, number>();
  let sent = 0;
  const end = Date.now() + httpBudget.ms;
  const worker = async () => {
    while (sent < httpBudget.requests && Date.now() < end) {
      sent++;
      const a = await fuzzRequest(ep, r).catch(() => undefined);
      if (!a) continue;
      counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
      const p = problemWith(a);
      if (p && problems.length < 20) problems.push(`${p}\n    for ${a.request}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (let i = 0; i < upgradeBudget.sessions; i++) await fuzzUpgrade(ep, r, i % 2 === 0 ? 'websocket' : 'spdy').catch(() => {});

  if (!existsSyncProc(pid)) assert.fail(`berth serve died:\n${node.output.slice(-40).join('\n')}`);
  const rssAfter = rssMiB(pid);
  t.diagnostic(`seed ${seed}: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...counts].sort((a, b) => a[0] - b[0])))}; ${upgradeBudget.sessions} upgrade sessions; RSS ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MiB`);
  assert.deepEqual(problems, [], `answers that are not Statuses, or 500s (seed ${seed})`);
  assert.ok(sent >= 200, `only ${sent} requests were sent`);
  assert.ok(process.kill(pid, 0), 'berth serve is gone');
  assert.equal((await node.rawRequest('/readyz')).status, 200);
  assert.equal(containerdPid(node), containerd, 'containerd was restarted');
  assert.ok(rssAfter < 400, `berth's RSS grew to ${rssAfter.toFixed(0)} MiB`);
  const exec = await node.kubectl(['exec', '-n', targetNamespace, 'fuzz-target', '-c', 'app', '--', 'echo', 'still here']);
  assert.equal(exec.stdout.trim(), 'still here', exec.stderr);
});
