/**
 * Garbage collection by ownerReferences (issue 11) with the real kubectl:
 * `kubectl delete` of an owner with the default (background), orphan and
 * foreground cascades, on ConfigMap and Pod dependents whose manifests name
 * the owner by uid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

/** Creates ConfigMap `name` and returns its uid. */
async function owner(node: BerthNode, name: string): Promise<string> {
  await applyText(node, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {role: owner}\n`);
  return node.k('get', 'configmap', name, '-o', 'jsonpath={.metadata.uid}');
}

function ownerRefs(name: string, uid: string, block: boolean): string {
  return `  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ${name}
    uid: ${uid}
    blockOwnerDeletion: ${block}
`;
}

/** A ConfigMap and a Pod owned by ConfigMap `ownerName`; the pod ignores SIGTERM for `grace` seconds. */
async function dependents(node: BerthNode, suffix: string, ownerName: string, uid: string, opts: { block?: boolean; grace?: number } = {}): Promise<void> {
  const refs = ownerRefs(ownerName, uid, opts.block ?? false);
  await applyText(
    node,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: dep-${suffix}
${refs}data: {role: dependent}
---
apiVersion: v1
kind: Pod
metadata:
  name: pod-${suffix}
${refs}spec:
  terminationGracePeriodSeconds: ${opts.grace ?? 1}
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
  );
}

async function gone(node: BerthNode, kind: string, name: string, timeoutMs = 60_000): Promise<void> {
  await kubectlUntil(node, ['get', kind, name], (r) => r.code === 1 && r.stderr.includes('NotFound'), timeoutMs);
}

test('kubectl delete cascades to dependents by ownerReferences: background, orphan, foreground', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('the default (background) cascade deletes the owner at once and its dependents after', async () => {
    const uid = await owner(node, 'owner-bg');
    await dependents(node, 'bg', 'owner-bg', uid);
    assert.equal(await node.k('delete', 'configmap', 'owner-bg'), 'configmap "owner-bg" deleted\n');
    await gone(node, 'configmap', 'dep-bg');
    await gone(node, 'pod', 'pod-bg');
  });

  await t.test('--cascade=orphan leaves the dependents without ownerReferences', async () => {
    const uid = await owner(node, 'owner-orphan');
    await dependents(node, 'orphan', 'owner-orphan', uid, { block: true });
    assert.equal(await node.k('delete', 'configmap', 'owner-orphan', '--cascade=orphan'), 'configmap "owner-orphan" deleted\n');
    await gone(node, 'configmap', 'owner-orphan');
    assert.equal(await node.k('get', 'configmap', 'dep-orphan', '-o', 'jsonpath={.metadata.ownerReferences}'), '');
    assert.equal(await node.k('get', 'pod', 'pod-orphan', '-o', 'jsonpath={.metadata.ownerReferences}'), '');
    assert.equal(await node.k('get', 'pod', 'pod-orphan', '-o', 'jsonpath={.metadata.deletionTimestamp}'), '', 'the pod is not being deleted');
    await node.k('delete', 'pod', 'pod-orphan', '--grace-period=0', '--force');
    await node.k('delete', 'configmap', 'dep-orphan');
  });

  await t.test('--cascade=foreground keeps the owner with the foregroundDeletion finalizer until the blocking dependents are gone', async () => {
    const uid = await owner(node, 'owner-fg');
    await dependents(node, 'fg', 'owner-fg', uid, { block: true, grace: 5 });
    await node.k('wait', '--for=condition=Ready', 'pod/pod-fg', '--timeout=60s');
    assert.equal(await node.k('delete', 'configmap', 'owner-fg', '--cascade=foreground', '--wait=false'), 'configmap "owner-fg" deleted\n');
    const finalizers = await jsonpathUntil(node, ['configmap', 'owner-fg'], '{.metadata.finalizers}', (v) => v !== '');
    assert.equal(finalizers, '["foregroundDeletion"]');
    assert.ok(await node.k('get', 'configmap', 'owner-fg', '-o', 'jsonpath={.metadata.deletionTimestamp}'));
    // The pod ignores SIGTERM for its 5 s grace period; the owner waits for it.
    await jsonpathUntil(node, ['pod', 'pod-fg'], '{.metadata.deletionTimestamp}', (v) => v !== '');
    assert.equal(await node.k('get', 'configmap', 'owner-fg', '-o', 'jsonpath={.metadata.finalizers}'), '["foregroundDeletion"]');
    await gone(node, 'configmap', 'owner-fg', 90_000);
    assert.equal((await node.kubectl(['get', 'pod', 'pod-fg'])).code, 1, 'the pod went before its owner');
    assert.equal((await node.kubectl(['get', 'configmap', 'dep-fg'])).code, 1);
  });
});
