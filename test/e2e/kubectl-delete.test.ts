/**
 * `kubectl delete` parity (issue 4): grace periods, `--grace-period=0
 * --force` with kubectl's warning, `--wait`, finalizers, `Terminating` in
 * `get pods`, selectors, and the node stopping what a deletion removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createCriClient } from '../../src/cri/cri.ts';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil, quickPod } from './kubectl-fixtures.ts';

/** A pod whose PID 1 ignores SIGTERM, so it lives for its whole grace period. */
function stubborn(name: string, grace: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {group: stubborn}
spec:
  terminationGracePeriodSeconds: ${grace}
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
`;
}

/** Containers of pod `name` that containerd still runs. */
async function runningContainers(node: BerthNode, name: string): Promise<number> {
  const cri = createCriClient(join(node.dataDir, 'containerd', 'containerd.sock'));
  try {
    const all = await cri.runtime.listContainers();
    return all.filter((c) => c.labels['io.kubernetes.pod.name'] === name && c.state === 'CONTAINER_RUNNING').length;
  } finally {
    cri.close();
  }
}

test('kubectl delete honours grace periods, force, --wait and finalizers', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('a graceful delete waits for the grace period and shows Terminating meanwhile', async () => {
    await applyText(node, stubborn('slow', 4));
    await node.k('wait', '--for=condition=Ready', 'pod/slow', '--timeout=60s');
    const started = Date.now();
    assert.equal(await node.k('delete', 'pod', 'slow', '--wait=false'), 'pod "slow" deleted\n');
    assert.match(await node.k('get', 'pod', 'slow'), /\nslow\s+1\/1\s+Terminating\s+0\s/);
    assert.ok(await node.k('get', 'pod', 'slow', '-o', 'jsonpath={.metadata.deletionTimestamp}'));
    assert.equal(await node.k('get', 'pod', 'slow', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}'), '4');
    assert.equal(await node.k('wait', '--for=delete', 'pod/slow', '--timeout=60s'), 'pod/slow condition met\n');
    const took = Date.now() - started;
    assert.ok(took >= 3500, `the pod went after ${took} ms, before its 4 s grace period`);
    assert.equal(await runningContainers(node, 'slow'), 0);
  });

  await t.test('--grace-period shortens it, and delete (with --wait) returns when the pod is gone', async () => {
    await applyText(node, stubborn('shorter', 30));
    await node.k('wait', '--for=condition=Ready', 'pod/shorter', '--timeout=60s');
    const started = Date.now();
    assert.equal(await node.k('delete', 'pod', 'shorter', '--grace-period=2'), 'pod "shorter" deleted\n');
    const took = Date.now() - started;
    assert.ok(took >= 1500 && took < 20_000, `delete took ${took} ms for a 2 s grace period`);
    const gone = await node.kubectl(['get', 'pod', 'shorter']);
    assert.equal(gone.stderr, 'Error from server (NotFound): pods "shorter" not found\n');
  });

  await t.test('--grace-period=0 --force removes the object at once, warns, and the node still stops the containers', async () => {
    // The pod's own grace period still applies on the node (the kubelet only sees the object vanish).
    await applyText(node, stubborn('forced', 3));
    await node.k('wait', '--for=condition=Ready', 'pod/forced', '--timeout=60s');
    const r = await node.kubectl(['delete', 'pod', 'forced', '--grace-period=0', '--force']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'pod "forced" force deleted\n');
    assert.equal(
      r.stderr,
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
    assert.equal((await node.kubectl(['get', 'pod', 'forced'])).code, 1);
    const end = Date.now() + 60_000;
    while ((await runningContainers(node, 'forced')) > 0) {
      assert.ok(Date.now() < end, 'the node never stopped the force-deleted pod');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  await t.test('a finalizer keeps the object after its containers stop, until it is removed', async () => {
    await applyText(node, quickPod('held').replace('  name: held\n', '  name: held\n  finalizers: [example.com/hold]\n'));
    await node.k('wait', '--for=condition=Ready', 'pod/held', '--timeout=60s');
    const r = await node.kubectl(['delete', 'pod', 'held', '--timeout=3s']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'pod "held" deleted\n');
    // (kubectl's informer may also log the watch it cancelled at the timeout.)
    assert.match(r.stderr, /(^|\n)error: timed out waiting for the condition on pods\/held\n$/);
    // The node finished the pod: a terminal phase on deletion, the object stays.
    await jsonpathUntil(node, ['pod/held'], '{.status.phase}', (p) => p === 'Succeeded');
    assert.equal(await node.k('get', 'pod', 'held', '-o', 'jsonpath={.metadata.finalizers}'), '["example.com/hold"]');
    assert.match(await node.k('get', 'pod', 'held'), /\nheld\s+0\/1\s+Completed\s+0\s/);
    assert.equal(await node.k('patch', 'pod', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'), 'pod/held patched\n');
    await kubectlUntil(node, ['get', 'pod', 'held'], (x) => x.code === 1 && x.stderr === 'Error from server (NotFound): pods "held" not found\n', 30_000);
  });

  await t.test('missing pods, --ignore-not-found, selectors and --all', async () => {
    const missing = await node.kubectl(['delete', 'pod', 'nosuch']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nosuch" not found\n');
    const ignored = await node.kubectl(['delete', 'pod', 'nosuch', '--ignore-not-found']);
    assert.deepEqual([ignored.code, ignored.stdout, ignored.stderr], [0, '', '']);

    for (const name of ['sel-a', 'sel-b', 'other']) await applyText(node, quickPod(name, { labels: { group: name.startsWith('sel') ? 'sel' : 'other' } }));
    await node.k('wait', '--for=condition=Ready', 'pod/sel-a', 'pod/sel-b', 'pod/other', '--timeout=60s');
    assert.equal(await node.k('delete', 'pods', '-l', 'group=sel'), 'pod "sel-a" deleted\npod "sel-b" deleted\n');
    assert.equal(await node.k('get', 'pods', '-o', 'name'), 'pod/other\n');
    assert.equal(await node.k('delete', 'pods', '--all'), 'pod "other" deleted\n');
    const none = await node.kubectl(['get', 'pods']);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
  });
});
