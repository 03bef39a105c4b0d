/**
 * Sandbox loss on the real containerd (docs/kubelet-semantics.md §8): when the
 * pod's pause process dies, the node kills the pod, emits SandboxChanged,
 * creates a new sandbox and runs every init container again from the first;
 * restart counts continue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCriClient } from '../../src/cri/cri.ts';
import { BerthNode, run } from './harness.ts';

const manifest = `
apiVersion: v1
kind: Pod
metadata:
  name: resilient
spec:
  terminationGracePeriodSeconds: 5
  initContainers:
  - name: first
    image: busybox:1.35
    command: ["sh", "-c", "echo first >> /data/runs"]
    volumeMounts: [{name: data, mountPath: /data}]
  - name: second
    image: busybox:1.35
    command: ["sh", "-c", "echo second >> /data/runs"]
    volumeMounts: [{name: data, mountPath: /data}]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  volumes:
  - name: data
    emptyDir: {}
`;

test('a dead sandbox is recreated and init containers run again from the first', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], { input: manifest });
  const before = JSON.parse(await node.waitForJsonpath('pod/resilient', '{}', (v) => JSON.parse(v).status?.phase === 'Running', 30_000));
  const uid = before.metadata.uid;
  const watch = node.watch(['get', 'pod', 'resilient', '-w', '--no-headers']);

  const socket = join(node.dataDir, 'containerd', 'containerd.sock');
  const cri = createCriClient(socket);
  t.after(() => cri.close());
  const [sandbox] = await cri.runtime.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': uid } });
  const killed = await run('ctr', ['--address', socket, '-n', 'k8s.io', 'tasks', 'kill', '-s', 'SIGKILL', sandbox.id]);
  assert.equal(killed.code, 0, killed.stderr);

  const after = JSON.parse(
    await node.waitForJsonpath('pod/resilient', '{}', (v) => {
      const s = JSON.parse(v).status;
      return s?.phase === 'Running' && s.containerStatuses?.[0]?.restartCount === 1 && !!s.containerStatuses[0].state.running;
    }, 40_000),
  );
  const runs = readFileSync(join(node.dataDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'data', 'runs'), 'utf8');
  assert.equal(runs, 'first\nsecond\nfirst\nsecond\n', 'both init containers ran again, in order');
  assert.notEqual(after.status.initContainerStatuses[0].containerID, before.status.initContainerStatuses[0].containerID);
  assert.equal(after.status.initContainerStatuses[0].restartCount, 1, 'restart counts continue across the new sandbox');
  assert.equal(after.status.containerStatuses[0].lastState.terminated.exitCode, 0);

  const changed = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=SandboxChanged', '-o', 'json')).items;
  assert.equal(changed.length, 1);
  assert.equal(changed[0].type, 'Normal');
  assert.equal(changed[0].message, 'Pod sandbox changed, it will be killed and re-created.');
  const sandboxes = await cri.runtime.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': uid } });
  const ready = sandboxes.filter((s) => s.state === 'SANDBOX_READY');
  assert.equal(ready.length, 1);
  assert.equal(ready[0].metadata.attempt, 1);

  // kubectl saw the app go down with the old sandbox and come back with RESTARTS 1.
  await watch.waitFor(/^resilient\s+1\/1\s+Running\s+1 \(\d+s ago\)/, 10_000);
  assert.ok(watch.lines.some((l) => /^resilient\s+0\/1\s/.test(l)), watch.lines.join('\n'));
});
