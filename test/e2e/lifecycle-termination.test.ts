/**
 * Hooks and termination on the real containerd (docs/kubelet-semantics.md §9,
 * §12): preStop within the grace period and SIGKILL after it, the terminal
 * phase of a deleted pod kept by a finalizer, deletion during
 * initialization, force deletion, activeDeadlineSeconds during init,
 * postStart ordering and failure, termination messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCriClient } from '../../src/cri/cri.ts';
import { BerthNode } from './harness.ts';

async function podJson(node: BerthNode, name: string): Promise<any> {
  return JSON.parse(await node.k('get', 'pod', name, '-o', 'json'));
}

async function volumeFile(node: BerthNode, uid: string, file: string): Promise<string> {
  return readFileSync(join(node.dataDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'shared', file), 'utf8');
}

async function removeFinalizers(node: BerthNode, name: string): Promise<void> {
  await node.kubectl(['patch', 'pod', name, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
}

const gracefulPods = (shared: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: graceful
  finalizers: [example.com/hold]
spec:
  terminationGracePeriodSeconds: 6
  containers:
  - name: stubborn
    image: busybox:1.35
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "date +%s > /shared/prestop; sleep 2"]}
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: polite
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  volumes:
  # A host directory: the node releases a terminated pod's emptyDir before the
  # test reads what preStop wrote.
  - name: shared
    hostPath: {path: ${shared}, type: DirectoryOrCreate}
---
apiVersion: v1
kind: Pod
metadata:
  name: clean
  finalizers: [example.com/hold]
spec:
  restartPolicy: Always
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('deletion runs preStop, SIGKILLs after the grace period, and reports the terminal phase while a finalizer keeps the pod', async (t) => {
  const node = await BerthNode.start(t);
  const shared = join(node.dataDir, 'graceful-shared');
  await node.kubectl(['apply', '-f', '-'], { input: gracefulPods(shared) });
  try {
    await node.waitForJsonpath('pod/graceful', '{.status.phase}', (v) => v === 'Running', 30_000);
    await node.waitForJsonpath('pod/clean', '{.status.phase}', (v) => v === 'Running', 30_000);
    const uid = (await podJson(node, 'graceful')).metadata.uid;
    const deletedAt = Date.now() / 1000;
    await node.k('delete', 'pod', 'graceful', 'clean', '--wait=false');

    const failed = JSON.parse(await node.waitForJsonpath('pod/graceful', '{}', (v) => JSON.parse(v).status?.phase === 'Failed', 30_000));
    assert.ok(failed.metadata.deletionTimestamp, 'the finalizer keeps the deleted pod');
    const st = Object.fromEntries(failed.status.containerStatuses.map((s: any) => [s.name, s.state.terminated]));
    assert.equal(st.stubborn.exitCode, 137, 'SIGKILL after the grace period');
    assert.equal(st.stubborn.reason, 'Error');
    assert.equal(st.polite.exitCode, 0);
    assert.equal(st.polite.reason, 'Completed');
    const killedAfter = Date.parse(st.stubborn.finishedAt) / 1000 - deletedAt;
    assert.ok(killedAfter >= 4.5 && killedAfter <= 9, `SIGKILL ${killedAfter} s after the delete (grace 6 s)`);
    assert.ok(Date.parse(st.polite.finishedAt) / 1000 - deletedAt < 4, 'a container that handles SIGTERM stops at once');
    const preStopAt = Number(readFileSync(join(shared, 'prestop'), 'utf8').trim());
    assert.ok(Math.abs(preStopAt - deletedAt) <= 2, 'preStop ran right after the delete');
    assert.equal(failed.status.conditions.find((c: any) => c.type === 'Ready').status, 'False');

    const kills = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=Killing,involvedObject.name=graceful', '-o', 'json')).items;
    assert.deepEqual(kills.map((e: any) => e.message).sort(), ['Stopping container polite', 'Stopping container stubborn']);
    assert.ok(kills.every((e: any) => Date.parse(e.firstTimestamp) / 1000 <= preStopAt + 1), 'Killing is recorded before preStop runs');

    const clean = JSON.parse(await node.waitForJsonpath('pod/clean', '{}', (v) => JSON.parse(v).status?.phase === 'Succeeded', 30_000));
    assert.equal(clean.status.containerStatuses[0].state.terminated.exitCode, 0, 'an Always pod that exits 0 on SIGTERM ends Succeeded');
  } finally {
    await removeFinalizers(node, 'graceful');
    await removeFinalizers(node, 'clean');
  }
  await node.waitForJsonpath('pods', '{.items[*].metadata.name}', (v) => v.trim() === '', 20_000);
});

test('deleting a pod during initialization stops it within the grace period and no app container starts', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], {
    input: `
apiVersion: v1
kind: Pod
metadata:
  name: initializing
spec:
  initContainers:
  - name: wait
    image: busybox:1.35
    command: ["sleep", "3600"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
  });
  await node.waitForJsonpath('pod/initializing', '{.status.initContainerStatuses[0].state.running}', (v) => v !== '', 30_000);
  const started = Date.now();
  assert.match(await node.k('delete', 'pod', 'initializing', '--grace-period=3'), /pod "initializing" deleted/);
  const took = (Date.now() - started) / 1000;
  assert.ok(took >= 2.5 && took < 9, `delete took ${took} s with a 3 s grace period`);
  const startedEvents = await node.k('get', 'events', '--field-selector', 'reason=Started', '-o', 'jsonpath={range .items[*]}{.involvedObject.fieldPath}{"\\n"}{end}');
  assert.equal(startedEvents.trim(), 'spec.initContainers{wait}');
});

test('force deletion removes the API object at once while the node still stops the containers', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], {
    input: `
apiVersion: v1
kind: Pod
metadata:
  name: forced
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
  });
  const pod = JSON.parse(await node.waitForJsonpath('pod/forced', '{}', (v) => JSON.parse(v).status?.phase === 'Running', 30_000));
  const r = await node.kubectl(['delete', 'pod', 'forced', '--force', '--grace-period=0']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated/);
  assert.match(r.stdout, /pod "forced" force deleted/);
  const gone = await node.kubectl(['get', 'pod', 'forced']);
  assert.match(gone.stderr, /NotFound/);

  const cri = createCriClient(join(node.dataDir, 'containerd', 'containerd.sock'));
  t.after(() => cri.close());
  const end = Date.now() + 20_000;
  let left = -1;
  while (Date.now() < end) {
    left = (await cri.runtime.listContainers({ labelSelector: { 'io.kubernetes.pod.uid': pod.metadata.uid } })).length;
    if (left === 0) break;
    await sleep(250);
  }
  assert.equal(left, 0, 'the containers of the force-deleted pod were stopped and removed');
});

test('activeDeadlineSeconds fails a pod during initialization with DeadlineExceeded', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], {
    input: `
apiVersion: v1
kind: Pod
metadata:
  name: deadline
spec:
  activeDeadlineSeconds: 4
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: slow
    image: busybox:1.35
    command: ["sleep", "3600"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
  });
  // Failed is reported at once; the init container is then stopped with the pod's grace period.
  const pod = JSON.parse(
    await node.waitForJsonpath('pod/deadline', '{}', (v) => {
      const s = JSON.parse(v).status;
      return s?.phase === 'Failed' && !!s.initContainerStatuses?.[0]?.state?.terminated;
    }, 30_000),
  );
  assert.equal(pod.status.reason, 'DeadlineExceeded');
  assert.equal(pod.status.message, 'Pod was active on the node longer than the specified deadline');
  const ranFor = (Date.parse(pod.status.initContainerStatuses[0].state.terminated.finishedAt) - Date.parse(pod.status.startTime)) / 1000;
  assert.ok(ranFor >= 4 && ranFor <= 8, `stopped ${ranFor} s after startTime`);
  assert.deepEqual(pod.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  // The printer lets a failed init container's reason win over status.reason, as Kubernetes' printPod does.
  assert.match(await node.k('get', 'pod', 'deadline', '--no-headers'), /^deadline\s+0\/1\s+Init:Error\s+0\s/);
  const ev = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=DeadlineExceeded', '-o', 'json')).items;
  assert.equal(ev[0].type, 'Normal');
  assert.equal(ev[0].message, 'Pod was active on the node longer than the specified deadline');
});

test('postStart holds back the next container, a failing postStart kills its container, and termination messages are reported', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], {
    input: `
apiVersion: v1
kind: Pod
metadata:
  name: hooks
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: first
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    lifecycle:
      postStart:
        exec: {command: ["sh", "-c", "sleep 2; date +%s > /shared/poststart-done"]}
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: second
    image: busybox:1.35
    command: ["sh", "-c", "date +%s > /shared/second-start; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - name: shared
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: badhook
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    lifecycle:
      postStart:
        exec: {command: ["sh", "-c", "echo no way; exit 7"]}
---
apiVersion: v1
kind: Pod
metadata:
  name: messages
spec:
  restartPolicy: Never
  containers:
  - name: writes
    image: busybox:1.35
    command: ["sh", "-c", "printf 'bye from writes' > /dev/termination-log; exit 1"]
  - name: fallback
    image: busybox:1.35
    terminationMessagePolicy: FallbackToLogsOnError
    command: ["sh", "-c", "echo first line; echo last words; exit 2"]
`,
  });
  const hooks = JSON.parse(await node.waitForJsonpath('pod/hooks', '{}', (v) => JSON.parse(v).status?.phase === 'Running', 30_000));
  const postStartDone = Number((await volumeFile(node, hooks.metadata.uid, 'poststart-done')).trim());
  const secondStart = Number((await volumeFile(node, hooks.metadata.uid, 'second-start')).trim());
  assert.ok(secondStart >= postStartDone, `second started at ${secondStart}, first's postStart finished at ${postStartDone}`);

  // Killed after its hook failed, it exits 0 on SIGTERM; under Never it is not restarted, so the pod Succeeded.
  const bad = JSON.parse(await node.waitForJsonpath('pod/badhook', '{}', (v) => JSON.parse(v).status?.phase === 'Succeeded', 30_000));
  assert.equal(bad.status.containerStatuses[0].state.terminated.exitCode, 0);
  assert.equal(bad.status.containerStatuses[0].restartCount, 0);
  const badEvents = JSON.parse(await node.k('get', 'events', '--field-selector', 'involvedObject.name=badhook', '-o', 'json')).items;
  const msg = (reason: string) => badEvents.filter((e: any) => e.reason === reason).map((e: any) => `${e.type} ${e.message}`);
  assert.deepEqual(msg('FailedPostStartHook'), ['Warning PostStartHook failed']);
  assert.deepEqual(msg('Killing'), ['Normal FailedPostStartHook']);

  const messages = JSON.parse(await node.waitForJsonpath('pod/messages', '{}', (v) => JSON.parse(v).status?.phase === 'Failed', 30_000));
  const term = Object.fromEntries(messages.status.containerStatuses.map((s: any) => [s.name, s.state.terminated]));
  assert.equal(term.writes.message, 'bye from writes');
  assert.equal(term.writes.exitCode, 1);
  assert.equal(term.fallback.message, 'first line\nlast words\n');
  assert.equal(term.fallback.exitCode, 2);
});
