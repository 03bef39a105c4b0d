/**
 * Failures, restart policies and crash-loop backoff on the real containerd,
 * seen through the real kubectl (docs/kubelet-semantics.md §5, §6, §13, §18):
 * a failing init container under each restart policy, app containers by
 * exit code and policy, the backoff schedule and the RESTARTS column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode } from './harness.ts';

function initFailPod(name: string, policy: string): string {
  return `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: ${policy}
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "echo init failing; exit 3"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
`;
}

async function podJson(node: BerthNode, name: string): Promise<any> {
  return JSON.parse(await node.k('get', 'pod', name, '-o', 'json'));
}

test('a failing init container is retried with backoff under Always and OnFailure and fails the pod under Never', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  await sleep(1000);
  for (const [name, policy] of [['init-always', 'Always'], ['init-onfailure', 'OnFailure'], ['init-never', 'Never']]) {
    await node.kubectl(['apply', '-f', '-'], { input: initFailPod(name, policy) });
  }

  for (const name of ['init-always', 'init-onfailure']) {
    await watch.waitFor(new RegExp(`^${name}\\s+0/1\\s+Init:CrashLoopBackOff\\s+1 \\(\\d+s ago\\)\\s`), 60_000);
    const lines = watch.lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.split(/\s+/)[2]);
    const firstError = lines.indexOf('Init:Error');
    assert.ok(firstError >= 0 && firstError < lines.indexOf('Init:CrashLoopBackOff'), `Init:Error shows before Init:CrashLoopBackOff: ${lines.join(' → ')}`);
    assert.ok(!lines.includes('Running') && !lines.includes('PodInitializing'), `never initialized: ${lines.join(' → ')}`);
    const pod = await podJson(node, name);
    assert.equal(pod.status.phase, 'Pending');
    const init = pod.status.initContainerStatuses[0];
    assert.equal(init.state.waiting.reason, 'CrashLoopBackOff');
    assert.match(init.state.waiting.message, new RegExp(`^back-off 10s restarting failed container=init pod=${name}_default\\(${pod.metadata.uid}\\)$`));
    assert.equal(init.lastState.terminated.exitCode, 3);
    assert.equal(init.lastState.terminated.reason, 'Error');
    assert.deepEqual(pod.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
    assert.equal(pod.status.containerStatuses[0].restartCount, 0);
    const initialized = pod.status.conditions.find((c: any) => c.type === 'Initialized');
    assert.equal(initialized.status, 'False');
    assert.equal(initialized.message, 'containers with incomplete status: [init]');
  }

  const never = JSON.parse(await node.waitForJsonpath('pod/init-never', '{}', (v) => JSON.parse(v).status?.phase === 'Failed', 30_000));
  assert.equal(never.status.reason, undefined, 'a pod failed by its containers has no reason');
  assert.equal(never.status.initContainerStatuses[0].state.terminated.exitCode, 3);
  assert.equal(never.status.initContainerStatuses[0].restartCount, 0);
  assert.deepEqual(never.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  await watch.waitFor(/^init-never\s+0\/1\s+Init:Error\s+0\s/);
  assert.match(await node.k('get', 'pod', 'init-never', '--no-headers'), /^init-never\s+0\/1\s+Init:Error\s+0\s/);

  // No app container ever started in any of them.
  const started = await node.k('get', 'events', '--field-selector', 'reason=Started', '-o', 'jsonpath={range .items[*]}{.involvedObject.name}/{.involvedObject.fieldPath}{"\\n"}{end}');
  assert.ok(!started.includes('spec.containers{app}'), started);
  const logs = await node.k('logs', 'init-always', '-c', 'init');
  assert.equal(logs, 'init failing\n');
});

test('app containers restart by policy and crash-loop on the 10 s, 20 s schedule without re-running init containers', async (t) => {
  const node = await BerthNode.start(t);
  const manifest = (name: string, policy: string, exit: number) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: ${policy}
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "echo init >> /data/inits"]
    volumeMounts: [{name: data, mountPath: /data}]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "date +%s >> /data/starts; exit ${exit}"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    emptyDir: {}
`;
  await node.kubectl(['apply', '-f', '-'], { input: manifest('crashloop', 'Always', 1) });
  await node.kubectl(['apply', '-f', '-'], { input: manifest('once-ok', 'OnFailure', 0) });
  await node.kubectl(['apply', '-f', '-'], { input: manifest('once-fail', 'Never', 2) });
  await node.kubectl(['apply', '-f', '-'], { input: manifest('retry-fail', 'OnFailure', 2) });

  const okPod = JSON.parse(await node.waitForJsonpath('pod/once-ok', '{}', (v) => JSON.parse(v).status?.phase === 'Succeeded', 30_000));
  assert.equal(okPod.status.containerStatuses[0].restartCount, 0);
  assert.equal(okPod.status.containerStatuses[0].state.terminated.reason, 'Completed');
  const failPod = JSON.parse(await node.waitForJsonpath('pod/once-fail', '{}', (v) => JSON.parse(v).status?.phase === 'Failed', 30_000));
  assert.equal(failPod.status.containerStatuses[0].state.terminated.exitCode, 2);
  assert.equal(failPod.status.containerStatuses[0].restartCount, 0);
  assert.match(await node.k('get', 'pod', 'once-ok', '--no-headers'), /^once-ok\s+0\/1\s+Completed\s+0\s/);
  assert.match(await node.k('get', 'pod', 'once-fail', '--no-headers'), /^once-fail\s+0\/1\s+Error\s+0\s/);

  // The crash loop: starts at t, t (immediate first restart), t+10, t+30.
  const starts = await waitForLines(node, 'crashloop', 'starts', 4, 60_000);
  const gaps = starts.slice(1).map((s, i) => s - starts[i]);
  assert.ok(gaps[0] <= 2, `first restart is immediate: gaps ${gaps}`);
  assert.ok(gaps[1] >= 10 && gaps[1] <= 13, `second restart after 10 s: gaps ${gaps}`);
  assert.ok(gaps[2] >= 20 && gaps[2] <= 23, `third restart after 20 s: gaps ${gaps}`);
  assert.deepEqual((await readVolume(node, 'crashloop', 'inits')).trim().split('\n'), ['init'], 'the init container ran once');

  const pod = await podJson(node, 'crashloop');
  assert.equal(pod.status.phase, 'Running');
  const app = pod.status.containerStatuses[0];
  assert.ok(app.restartCount >= 3);
  assert.equal(app.lastState.terminated.exitCode, 1);
  const row = await node.k('get', 'pod', 'crashloop', '--no-headers');
  assert.match(row, /^crashloop\s+\d\/1\s+(CrashLoopBackOff|Error|Running)\s+\d+ \(\d+s ago\)\s/);
  const backoff = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=BackOff,involvedObject.name=crashloop', '-o', 'json')).items;
  assert.equal(backoff.length, 1, 'BackOff events are aggregated into one');
  assert.equal(backoff[0].type, 'Warning');
  assert.equal(backoff[0].message, `Back-off restarting failed container app in pod crashloop_default(${pod.metadata.uid})`);
  assert.ok(backoff[0].count >= 2, `count ${backoff[0].count}`);
  assert.equal(backoff[0].involvedObject.fieldPath, 'spec.containers{app}');

  // OnFailure restarts a failing app container, also without re-running init.
  const retry = JSON.parse(await node.waitForJsonpath('pod/retry-fail', '{}', (v) => (JSON.parse(v).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000));
  assert.equal(retry.status.phase, 'Running');
  assert.deepEqual((await readVolume(node, 'retry-fail', 'inits')).trim().split('\n'), ['init']);
});

/** A file in the pod's emptyDir volume `data`, read on the host. */
async function readVolume(node: BerthNode, pod: string, file: string): Promise<string> {
  const uid = (await node.k('get', 'pod', pod, '-o', 'jsonpath={.metadata.uid}')).trim();
  return readFileSync(join(node.dataDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'data', file), 'utf8');
}

async function waitForLines(node: BerthNode, pod: string, file: string, n: number, timeoutMs: number): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const uid = (await node.k('get', 'pod', pod, '-o', 'jsonpath={.metadata.uid}')).trim();
    let lines: number[] = [];
    try {
      lines = readFileSync(join(node.dataDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'data', file), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      // Not written yet.
    }
    if (lines.length >= n) return lines;
    if (Date.now() > end) throw new Error(`${pod}: only ${lines.length} lines in ${file} after ${timeoutMs} ms`);
    await sleep(250);
  }
}
