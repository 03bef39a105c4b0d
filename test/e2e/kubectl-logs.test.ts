/**
 * `kubectl logs` parity (issue 4): every flag kubectl sends, default container
 * selection, and the kubelet's error texts for containers that have no log
 * to serve (docs/kubelet-semantics.md §19).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil } from './kubectl-fixtures.ts';

const talker = `apiVersion: v1
kind: Pod
metadata:
  name: talker
  annotations:
    kubectl.kubernetes.io/default-container: side
spec:
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "for i in 1 2 3 4; do echo init $i; sleep 1; done"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "if [ -f /data/ran ]; then echo second run; else touch /data/ran; echo first run; exit 1; fi; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts: [{name: data, mountPath: /data}]
  - name: side
    image: busybox:1.35
    command: ["sh", "-c", "echo side ready; trap 'exit 0' TERM; i=0; while true; do sleep 1; i=$((i+1)); echo side tick $i; done"]
  volumes:
  - name: data
    emptyDir: {}
`;

const plain = `apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  initContainers:
  - name: prep
    image: busybox:1.35
    command: ["true"]
  containers:
  - name: first
    image: busybox:1.35
    command: ["sh", "-c", "echo from first; trap 'exit 0' TERM; while true; do sleep 1; done"]
  - name: second
    image: busybox:1.35
    command: ["sh", "-c", "echo from second; trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('kubectl logs serves every option and the kubelet error texts', async (t) => {
  const node = await BerthNode.start(t);
  assert.equal(await applyText(node, talker), 'pod/talker created\n');

  await t.test('while init runs: the default container is waiting (PodInitializing) and -f follows the init container to its end', async () => {
    await jsonpathUntil(node, ['pod/talker'], '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '');
    const waiting = await node.kubectl(['logs', 'talker']);
    assert.equal(waiting.code, 1);
    assert.equal(waiting.stderr, 'Error from server (BadRequest): container "side" in pod "talker" is waiting to start: PodInitializing\n');
    const followed = await node.kubectl(['logs', 'talker', '-c', 'init', '-f'], { timeoutMs: 60_000 });
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'init 1\ninit 2\ninit 3\ninit 4\n');
  });

  await jsonpathUntil(node, ['pod/talker'], '{.status.containerStatuses[?(@.name=="app")].restartCount}', (v) => Number(v) >= 1, 90_000);
  await jsonpathUntil(node, ['pod/talker'], '{.status.containerStatuses[?(@.name=="app")].state.running.startedAt}', (v) => v !== '', 90_000);

  await t.test('the default-container annotation picks the container without a "Defaulted" notice', async () => {
    const r = await node.kubectl(['logs', 'talker']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^side ready\n(side tick \d+\n)*$/);
  });

  await t.test('--previous serves the last terminated instance, and says so when there is none', async () => {
    assert.equal(await node.k('logs', 'talker', '-c', 'app'), 'second run\n');
    assert.equal(await node.k('logs', 'talker', '-c', 'app', '--previous'), 'first run\n');
    const none = await node.kubectl(['logs', 'talker', '-c', 'side', '-p']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'Error from server (BadRequest): previous terminated container "side" in pod "talker" not found\n');
  });

  await t.test('--timestamps, --tail, --since, --since-time and --limit-bytes', async () => {
    assert.match(await node.k('logs', 'talker', '-c', 'init', '--timestamps', '--tail', '2'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z init 3\n\S+Z init 4\n$/);
    assert.equal(await node.k('logs', 'talker', '-c', 'init', '--tail=0'), '');
    assert.equal(await node.k('logs', 'talker', '-c', 'init', '--since=1h'), 'init 1\ninit 2\ninit 3\ninit 4\n');
    assert.equal(await node.k('logs', 'talker', '-c', 'init', '--since-time=2000-01-01T00:00:00Z'), 'init 1\ninit 2\ninit 3\ninit 4\n');
    const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.equal(await node.k('logs', 'talker', '-c', 'init', `--since-time=${future}`), '');
    assert.equal(await node.k('logs', 'talker', '-c', 'init', '--limit-bytes=8'), 'init 1\ni');
    // Options kubectl itself never sends are validated as PodLogOptions (422).
    const negative = await node.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/talker/log?container=init&tailLines=-1']);
    assert.equal(negative.stderr, 'The PodLogOptions "talker" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0\n');
  });

  await t.test('-f streams a running container line by line', async () => {
    const w = node.watch(['logs', '-f', 'talker', '-c', 'side', '--tail=1']);
    const first = await w.waitFor(/^side tick (\d+)$/, 30_000);
    const n = Number(/\d+$/.exec(first)![0]);
    await w.waitFor(new RegExp(`^side tick ${n + 2}$`), 30_000);
    await w.stop();
  });

  await t.test('--all-containers --prefix shows init and app containers, each line tagged', async () => {
    const out = await node.k('logs', 'talker', '--all-containers', '--prefix');
    const lines = new Set(out.trim().split('\n').filter((l) => !l.includes('side tick')));
    assert.deepEqual(
      lines,
      new Set([
        '[pod/talker/init] init 1',
        '[pod/talker/init] init 2',
        '[pod/talker/init] init 3',
        '[pod/talker/init] init 4',
        '[pod/talker/app] second run',
        '[pod/talker/side] side ready',
      ]),
    );
  });

  await t.test('without -c kubectl defaults to the first container and names the others', async () => {
    await applyText(node, plain);
    await jsonpathUntil(node, ['pod/plain'], '{.status.phase}', (v) => v === 'Running');
    await jsonpathUntil(node, ['pod/plain'], '{.status.containerStatuses[?(@.name=="first")].ready}', (v) => v === 'true');
    const r = await node.kubectl(['logs', 'plain']);
    assert.equal(r.stdout, 'from first\n');
    assert.equal(r.stderr, 'Defaulted container "first" out of: first, second, prep (init)\n');
  });

  await t.test('unknown and waiting containers get the API server and kubelet texts', async () => {
    const local = await node.kubectl(['logs', 'plain', '-c', 'nosuch']);
    assert.equal(local.stderr, 'error: container nosuch is not valid for pod plain\n');
    const raw = await node.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/plain/log?container=nosuch']);
    assert.equal(raw.stderr, 'Error from server (BadRequest): container nosuch is not valid for pod plain\n');
    const unnamed = await node.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/plain/log']);
    assert.equal(unnamed.stderr, 'Error from server (BadRequest): a container name must be specified for pod plain, choose one of: [first second] or one of the init containers: [prep]\n');

    await node.k('run', 'nopull', '--image=registry.invalid/none:1', '--image-pull-policy=Never');
    await jsonpathUntil(node, ['pod/nopull'], '{.status.containerStatuses[0].state.waiting.reason}', (v) => v === 'ErrImageNeverPull');
    const neverPull = await node.kubectl(['logs', 'nopull']);
    assert.equal(neverPull.stderr, 'Error from server (BadRequest): container "nopull" in pod "nopull" is waiting to start: ErrImageNeverPull\n');
  });
});
