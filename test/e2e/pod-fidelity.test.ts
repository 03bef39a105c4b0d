/**
 * Fidelity fixes on the real node: a negative terminationGracePeriodSeconds
 * is warned about and deletes with 1 s (CheckGracefulDelete), and a pod
 * deleted while its init container runs is Failed (`Init:Error`) before it
 * goes (the status manager's TerminatePod).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

test('pods keep kube-apiserver and kubelet fidelity on delete', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('a negative terminationGracePeriodSeconds is warned about on create and deletes with 1 s', async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: negative}
spec:
  terminationGracePeriodSeconds: -5
  containers:
  - {name: main, image: busybox:1.35, command: ["sleep", "3600"]}
`;
    const r = await node.kubectl(['apply', '-f', '-'], { input: manifest });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Warning: spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1\n');
    await node.k('wait', '--for=condition=Ready', 'pod/negative', '--timeout=60s');
    const started = Date.now();
    assert.equal(await node.k('delete', 'pod', 'negative', '--wait=false'), 'pod "negative" deleted\n');
    const grace = await node.kubectl(['get', 'pod', 'negative', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}']);
    assert.ok(grace.code !== 0 || grace.stdout === '1', `deletionGracePeriodSeconds ${grace.stdout}`);
    assert.equal(await node.k('wait', '--for=delete', 'pod/negative', '--timeout=30s'), 'pod/negative condition met\n');
    const took = Date.now() - started;
    assert.ok(took < 15_000, `the pod went after ${took} ms`);
  });

  await t.test('a pod deleted while its init container runs is Failed, Init:Error, before it goes', async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: initdel}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - {name: init1, image: busybox:1.35, command: ["sleep", "3600"]}
  containers:
  - {name: main, image: busybox:1.35, command: ["sleep", "3600"]}
`;
    const r = await node.kubectl(['apply', '-f', '-'], { input: manifest });
    assert.equal(r.code, 0, r.stderr);
    await jsonpathUntil(node, ['pod', 'initdel'], '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '');
    const table = node.watch(['get', 'pod', 'initdel', '-w', '--no-headers']);
    const phases = node.watch(['get', 'pod', 'initdel', '-w', '-o', 'jsonpath={.status.phase} {.status.initContainerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.waiting.reason}{"\\n"}']);
    await table.waitFor(/^initdel\s+0\/1\s+Init:0\/1\s/);
    assert.equal(await node.k('delete', 'pod', 'initdel', '--wait=false'), 'pod "initdel" deleted\n');
    await phases.waitFor(/^Failed Error PodInitializing$/, 30_000);
    await table.waitFor(/^initdel\s+0\/1\s+Init:Error\s+0\s/, 30_000);
    await kubectlUntil(node, ['get', 'pod', 'initdel'], (g) => g.stderr === 'Error from server (NotFound): pods "initdel" not found\n', 30_000);
    await table.stop();
    await phases.stop();
  });
});
