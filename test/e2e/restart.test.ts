/**
 * Crash safety (issue 2): berth killed with SIGKILL, or stopped with SIGTERM,
 * and started again on the same data directory: the pod keeps running, no
 * init container runs twice, restart counts do not move. Also checks that an
 * emptyDir written by init containers is read by the app container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode } from './harness.ts';

const manifest = `
apiVersion: v1
kind: Pod
metadata:
  name: runs-once
spec:
  initContainers:
  - name: init-a
    image: busybox:1.35
    command: ["sh", "-c", "echo init-a ran >> /data/runs"]
    volumeMounts: [{name: data, mountPath: /data}]
  - name: init-b
    image: busybox:1.35
    command: ["sh", "-c", "echo init-b ran >> /data/runs"]
    volumeMounts: [{name: data, mountPath: /data}]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "cat /data/runs; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    emptyDir: {}
`;

interface Snapshot {
  phase: string;
  ids: string[];
  restarts: number[];
}

async function snapshot(node: BerthNode): Promise<Snapshot> {
  const pod = JSON.parse(await node.k('get', 'pod', 'runs-once', '-o', 'json'));
  const all = [...pod.status.initContainerStatuses, ...pod.status.containerStatuses];
  return { phase: pod.status.phase, ids: all.map((s: any) => s.containerID), restarts: all.map((s: any) => s.restartCount) };
}

function runsFile(dataDir: string): string {
  const pods = join(dataDir, 'pods');
  const [uid] = readdirSync(pods);
  return readFileSync(join(pods, uid, 'volumes', 'kubernetes.io~empty-dir', 'data', 'runs'), 'utf8');
}

for (const how of ['SIGKILL', 'SIGTERM'] as const) {
  test(`a running pod survives a berth ${how} and restart without re-running init containers`, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
    let node = await BerthNode.start(t, { dataDir });
    t.after(() => node.destroy());

    await node.kubectl(['apply', '-f', '-'], { input: manifest });
    await node.waitForJsonpath('pod/runs-once', '{.status.phase}', (v) => v === 'Running');
    // The app container read what both init containers wrote into the emptyDir.
    const logs = await node.k('logs', 'runs-once', '-c', 'app');
    assert.equal(logs, 'init-a ran\ninit-b ran\n');
    const before = await snapshot(node);

    if (how === 'SIGKILL') await node.kill9();
    else assert.equal(await node.stop(), 0);
    node = await BerthNode.start(t, { dataDir });

    // Give the node agent time to resync against the runtime.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await snapshot(node);
    assert.equal(after.phase, 'Running');
    assert.deepEqual(after.ids, before.ids, 'no container was replaced');
    assert.deepEqual(after.restarts, [0, 0, 0]);
    assert.equal(runsFile(dataDir), 'init-a ran\ninit-b ran\n', 'each init container ran exactly once');
    const started = await node.k('get', 'events', '--field-selector', 'reason=Started', '-o', 'jsonpath={range .items[*]}{.involvedObject.fieldPath}{"\\n"}{end}');
    assert.deepEqual(started.trim().split('\n').sort(), ['spec.containers{app}', 'spec.initContainers{init-a}', 'spec.initContainers{init-b}']);
    assert.equal((await node.k('logs', 'runs-once', '-c', 'init-b')).length, 0);
  });
}

test('berth restarts a killed containerd, the node goes NotReady and back, and pods carry on', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], { input: manifest });
  await node.waitForJsonpath('pod/runs-once', '{.status.phase}', (v) => v === 'Running');
  const before = await snapshot(node);
  const nodeName = (await node.k('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).trim();

  const pid = Number(readFileSync(join(node.dataDir, 'containerd', 'containerd.pid'), 'utf8').trim());
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');

  // The Ready condition changed (False while containerd was down, True again now).
  const ready = JSON.parse(
    await node.waitForJsonpath(
      `node/${nodeName}`,
      '{.status.conditions[?(@.type=="Ready")]}',
      (v) => v !== '' && JSON.parse(v).status === 'True' && Date.parse(JSON.parse(v).lastTransitionTime) >= Math.floor(killedAt / 1000) * 1000,
      30_000,
    ),
  );
  assert.equal(ready.reason, 'KubeletReady');
  const newPid = Number(readFileSync(join(node.dataDir, 'containerd', 'containerd.pid'), 'utf8').trim());
  assert.notEqual(newPid, pid, 'a new containerd runs');

  // The running pod kept running in its shims, untouched.
  const after = await snapshot(node);
  assert.equal(after.phase, 'Running');
  assert.deepEqual(after.ids, before.ids);
  assert.deepEqual(after.restarts, [0, 0, 0]);
  // And the node carries on: a new pod runs to completion.
  await node.k('run', 'after-restart', '--image=busybox:1.35', '--restart=Never', '--', 'sh', '-c', 'echo alive');
  await node.waitForJsonpath('pod/after-restart', '{.status.phase}', (v) => v === 'Succeeded', 30_000);
  assert.equal(await node.k('logs', 'after-restart'), 'alive\n');
});
