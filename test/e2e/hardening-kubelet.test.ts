/**
 * The node agent against pods that write huge files it reads back: a
 * termination message file of 200 MB and a log of 50 MB with
 * FallbackToLogsOnError. berth reads only what the kubelet reads (the last
 * 4096 bytes of the file; the log's last 80 lines, at most 2048 bytes), so
 * its memory stays flat and the API keeps answering. And pod log directories
 * go with their pods: when a pod is removed, and at start for a pod the node
 * no longer has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode } from './harness.ts';

const MiB = 1024 * 1024;

const bigWriters = `
apiVersion: v1
kind: Pod
metadata:
  name: big-writers
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: message
    image: busybox:1.35
    command: ["sh", "-c", "head -c ${200 * MiB} /dev/zero | tr '\\\\000' x > /dev/termination-log; printf the-end >> /dev/termination-log"]
  - name: logs
    image: busybox:1.35
    command: ["sh", "-c", "head -c ${50 * MiB} /dev/zero | tr '\\\\000' y; echo; seq 1 100; exit 1"]
    terminationMessagePolicy: FallbackToLogsOnError
`;

const small = (name: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "echo hello from ${name}; printf done > /dev/termination-log; trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function podLogDirs(node: BerthNode): string[] {
  const root = join(node.dataDir, 'logs', 'pods');
  return existsSync(root) ? readdirSync(root) : [];
}

async function uidOf(node: BerthNode, name: string): Promise<string> {
  return (await node.k('get', 'pod', name, '-o', 'jsonpath={.metadata.uid}')).trim();
}

async function waitUntil(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

test('a pod writing 200 MB of termination message and 50 MB of log gets the kubelet messages while berth stays small and answers', { timeout: 180_000 }, async (t) => {
  const node = await BerthNode.start(t);
  const pid = node.pid!;
  // Warm up (first pod, first status writes) before the baseline.
  assert.equal((await node.kubectl(['apply', '-f', '-'], { input: small('warm-up') })).code, 0);
  await node.waitForJsonpath('pod/warm-up', '{.status.phase}', (v) => v === 'Running', 60_000);
  await node.k('delete', 'pod', 'warm-up', '--grace-period=1');
  const baseline = rssMiB(pid);

  assert.equal((await node.kubectl(['apply', '-f', '-'], { input: bigWriters })).code, 0);
  let maxRss = baseline;
  let slowest = 0;
  let phase = '';
  const end = Date.now() + 120_000;
  while (phase !== 'Failed' && phase !== 'Succeeded') {
    assert.ok(Date.now() < end, `the pod did not finish; phase ${phase}`);
    const started = Date.now();
    const r = await node.rawRequest('/api/v1/namespaces/default/pods/big-writers');
    slowest = Math.max(slowest, Date.now() - started);
    assert.equal(r.status, 200, r.body);
    phase = JSON.parse(r.body).status?.phase ?? '';
    maxRss = Math.max(maxRss, rssMiB(pid));
    await sleep(100);
  }
  // The last status writes come with the phase; a few more samples after them.
  for (let i = 0; i < 10; i++, await sleep(100)) maxRss = Math.max(maxRss, rssMiB(pid));
  t.diagnostic(`RSS ${baseline.toFixed(0)} MiB -> at most ${maxRss.toFixed(0)} MiB; slowest API GET ${slowest} ms`);

  const pod = JSON.parse(await node.k('get', 'pod', 'big-writers', '-o', 'json'));
  const terminated = (name: string) => pod.status.containerStatuses.find((s: { name: string }) => s.name === name).state.terminated;
  assert.equal(terminated('message').exitCode, 0);
  assert.equal(terminated('message').message, `${'x'.repeat(4096 - 'the-end'.length)}the-end`, 'the last 4096 bytes of the file');
  assert.equal(terminated('logs').exitCode, 1);
  const lastLines = Array.from({ length: 80 }, (_, i) => `${i + 21}\n`).join('');
  assert.equal(terminated('logs').message, lastLines, "the log's last 80 lines");
  assert.ok(maxRss - baseline < 50, `berth's RSS grew by ${(maxRss - baseline).toFixed(0)} MiB`);
  assert.ok(slowest < 2000, `an API GET took ${slowest} ms`);

  // kubectl logs --tail reads from the end too.
  assert.equal(await node.k('logs', 'big-writers', '-c', 'logs', '--tail=3'), '98\n99\n100\n');

  const uid = await uidOf(node, 'big-writers');
  assert.ok(podLogDirs(node).some((d) => d.endsWith(`_${uid}`)));
  await node.k('delete', 'pod', 'big-writers', '--grace-period=1');
  await waitUntil('the pod log directory is removed', () => !podLogDirs(node).some((d) => d.endsWith(`_${uid}`)));
});

test('pod log directories go with their pods, and a directory of a pod the node no longer has is swept at start', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  let node = await BerthNode.start(t, { dataDir });
  t.after(() => node.destroy());
  const names = ['one', 'two', 'three', 'keeper'];
  assert.equal((await node.kubectl(['apply', '-f', '-'], { input: names.map(small).join('---\n') })).code, 0);
  for (const n of names) await node.waitForJsonpath(`pod/${n}`, '{.status.phase}', (v) => v === 'Running', 60_000);
  const uids = new Map<string, string>();
  for (const n of names) uids.set(n, await uidOf(node, n));
  assert.equal(podLogDirs(node).length, names.length);

  await node.k('delete', 'pod', 'one', 'two', 'three', '--grace-period=1');
  await waitUntil('the deleted pods lose their log directories', () => podLogDirs(node).length === 1);
  assert.deepEqual(podLogDirs(node), [`default_keeper_${uids.get('keeper')}`]);

  // A pod removed while berth was down leaves its directory behind.
  assert.equal(await node.stop(), 0);
  const ghost = join(dataDir, 'logs', 'pods', 'default_ghost_00000000-0000-4000-8000-00000000dead');
  mkdirSync(join(ghost, 'app'), { recursive: true });
  writeFileSync(join(ghost, 'app', '0.log'), '2026-01-01T00:00:00Z stdout F boo\n');
  node = await BerthNode.start(t, { dataDir });
  await waitUntil('the orphan log directory is swept', () => !existsSync(ghost));
  assert.deepEqual(podLogDirs(node), [`default_keeper_${uids.get('keeper')}`], 'a live pod keeps its logs');
  assert.equal(await node.k('logs', 'keeper'), 'hello from keeper\n');
});
