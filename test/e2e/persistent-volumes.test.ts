/**
 * Persistent volumes on the real node, driven by kubectl as on a kind
 * cluster: the default class `standard` (rancher.io/local-path,
 * WaitForFirstConsumer) keeps a claim Pending until a pod uses it, then the
 * provisioner makes a directory under `<data dir>/storage` and the claim
 * binds; a pod writes data there, a second pod (after the first is deleted)
 * reads it back, also through a subPath; deleting the claim removes the
 * volume and its directory (reclaim Delete); a static hostPath volume with
 * Retain binds to a claim of its class and is Released, data kept, once the
 * claim goes; a pod whose claim is missing stays Pending with the scheduler's
 * reason; a generic ephemeral volume's claim comes and goes with its pod. `get pv,pvc,sc` and `describe pvc` print the cluster's columns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 128Mi
`;

function podUsing(name: string, command: string, extraMounts = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", ${JSON.stringify(command)}]
    volumeMounts:
    - name: data
      mountPath: /data
${extraMounts}  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
`;
}

test('persistent volumes: local-path provisioning on first use, data that outlives pods, Delete and Retain', async (t) => {
  const node = await BerthNode.start(t);

  await t.test('kubectl get sc shows standard as the default local-path class', async () => {
    const out = await node.k('get', 'sc');
    const lines = out.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/);
    assert.match(lines[1]!, /^standard \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\S+$/);
  });

  let pvName = '';
  await t.test('a claim of class standard stays Pending until a pod uses it, then binds', async () => {
    await applyText(node, claim);
    assert.equal(await node.k('get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName}'), 'standard');
    await kubectlUntil(node, ['get', 'events', '--field-selector', 'involvedObject.name=data', '-o', 'jsonpath={.items[*].reason}'], (r) => r.stdout.includes('WaitForFirstConsumer'));
    await sleep(1500);
    assert.equal(await node.k('get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'), 'Pending');
    const pending = await node.k('get', 'pvc', 'data');
    assert.match(pending, /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\n/);
    assert.match(pending, /\ndata\s+Pending\s+standard\s+<unset>\s+\S+\n/);

    await applyText(node, podUsing('writer', 'mkdir -p /data/nested && echo kept-across-pods > /data/hello && echo nested > /data/nested/file; trap "exit 0" TERM; while true; do sleep 1; done'));
    await jsonpathUntil(node, ['pvc', 'data'], '{.status.phase}', (v) => v === 'Bound');
    await jsonpathUntil(node, ['pod', 'writer'], '{.status.phase}', (v) => v === 'Running');
    pvName = await node.k('get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}');
    assert.match(pvName, /^pvc-[0-9a-f-]{36}$/);
    const pvc = JSON.parse(await node.k('get', 'pvc', 'data', '-o', 'json'));
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'] !== undefined, true);
    assert.equal(pvc.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
    assert.deepEqual(pvc.metadata.finalizers, ['kubernetes.io/pvc-protection']);

    const get = await node.k('get', 'pv,pvc');
    assert.match(get, /NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE/);
    assert.match(get, new RegExp(`persistentvolume/${pvName}\\s+128Mi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+standard\\s+<unset>\\s+\\S+`));
    assert.match(get, new RegExp(`persistentvolumeclaim/data\\s+Bound\\s+${pvName}\\s+128Mi\\s+RWO\\s+standard\\s+<unset>\\s+\\S+`));
    const podEvents = await node.k('get', 'events', '--field-selector', 'involvedObject.name=writer', '-o', 'jsonpath={.items[*].reason}');
    assert.doesNotMatch(podEvents, /FailedMount/, 'the pod waited for its claim without a warning');
    const described = await node.k('describe', 'pvc', 'data');
    assert.match(described, /Status:\s+Bound/);
    assert.match(described, new RegExp(`Volume:\\s+${pvName}`));
    assert.match(described, /WaitForFirstConsumer/);
    assert.match(described, /ProvisioningSucceeded/);
  });

  await t.test('the data lives in a directory under <data dir>/storage and survives the pod', async () => {
    const dir = join(node.dataDir, 'storage', `${pvName}_default_data`);
    const file = join(dir, 'hello');
    for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
    assert.equal(readFileSync(file, 'utf8'), 'kept-across-pods\n');
    await node.k('delete', 'pod', 'writer', '--wait=true');
    await applyText(
      node,
      podUsing('reader', 'cat /data/hello /sub/file; trap "exit 0" TERM; while true; do sleep 1; done', '    - name: data\n      mountPath: /sub\n      subPath: nested\n'),
    );
    await jsonpathUntil(node, ['pod', 'reader'], '{.status.phase}', (v) => v === 'Running');
    await kubectlUntil(node, ['logs', 'reader'], (r) => r.stdout === 'kept-across-pods\nnested\n');
  });

  await t.test('deleting the claim after its pod removes the volume and its directory', async () => {
    const dir = join(node.dataDir, 'storage', `${pvName}_default_data`);
    await node.k('delete', 'pvc', 'data', '--wait=false');
    await sleep(1000);
    assert.equal(await node.k('get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'), 'Bound', 'pvc-protection keeps it while reader runs');
    assert.match(await node.k('get', 'pvc', 'data'), /\ndata\s+Terminating\s+/);
    await node.k('delete', 'pod', 'reader', '--wait=true');
    await kubectlUntil(node, ['get', 'pvc', 'data'], (r) => r.code !== 0 && r.stderr.includes('NotFound'));
    await kubectlUntil(node, ['get', 'pv', pvName], (r) => r.code !== 0 && r.stderr.includes('NotFound'));
    assert.equal(existsSync(dir), false);
  });

  await t.test('a pod whose claim does not exist stays Pending with the scheduler\'s reason', async () => {
    await applyText(node, podUsing('orphan', 'true').replace('claimName: data', 'claimName: missing'));
    await kubectlUntil(node, ['get', 'events', '--field-selector', 'involvedObject.name=orphan,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}'], (r) =>
      r.stdout.includes('0/1 nodes are available: persistentvolumeclaim "missing" not found.'),
    );
    assert.equal(await node.k('get', 'pod', 'orphan', '-o', 'jsonpath={.status.phase}{.spec.nodeName}'), 'Pending');
    await node.k('delete', 'pod', 'orphan', '--wait=true');
  });

  await t.test('a generic ephemeral volume gets the claim <pod>-<volume>, bound on first use and gone with the pod', async () => {
    await applyText(
      node,
      `apiVersion: v1
kind: Pod
metadata:
  name: scratch
spec:
  terminationGracePeriodSeconds: 1
  securityContext:
    fsGroup: 2000
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo ok > /scratch/f && stat -c %g /scratch/f; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts:
    - name: work
      mountPath: /scratch
  volumes:
  - name: work
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 64Mi
`,
    );
    await jsonpathUntil(node, ['pvc', 'scratch-work'], '{.status.phase}', (v) => v === 'Bound');
    assert.equal(await node.k('get', 'pvc', 'scratch-work', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'), 'Pod/scratch');
    await jsonpathUntil(node, ['pod', 'scratch'], '{.status.phase}', (v) => v === 'Running');
    // A hostPath volume (what local-path makes) gets no fsGroup ownership, as on kind: the file keeps root's group.
    await kubectlUntil(node, ['logs', 'scratch'], (r) => r.stdout === '0\n');
    const volume = await node.k('get', 'pvc', 'scratch-work', '-o', 'jsonpath={.spec.volumeName}');
    await node.k('delete', 'pod', 'scratch', '--wait=true');
    await kubectlUntil(node, ['get', 'pvc', 'scratch-work'], (r) => r.code !== 0 && r.stderr.includes('NotFound'));
    await kubectlUntil(node, ['get', 'pv', volume], (r) => r.code !== 0 && r.stderr.includes('NotFound'));
  });

  await t.test('a static hostPath volume with Retain binds, and is Released with its data once the claim goes', async () => {
    const dir = join(node.dataDir, 'static-pv');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'seed'), 'from the admin\n');
    await applyText(
      node,
      `apiVersion: v1
kind: PersistentVolume
metadata:
  name: manual-pv
  labels: {disk: manual}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath:
    path: ${dir}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: static
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  selector:
    matchLabels: {disk: manual}
  resources:
    requests: {storage: 500Mi}
`,
    );
    await jsonpathUntil(node, ['pvc', 'static'], '{.status.phase}', (v) => v === 'Bound');
    assert.equal(await node.k('get', 'pvc', 'static', '-o', 'jsonpath={.spec.volumeName} {.status.capacity.storage}'), 'manual-pv 1Gi');
    assert.match(await node.k('get', 'pv', 'manual-pv'), /\nmanual-pv\s+1Gi\s+RWO\s+Retain\s+Bound\s+default\/static\s+manual\s+<unset>\s+\S+\n/);
    await node.k('delete', 'pvc', 'static', '--wait=true');
    await jsonpathUntil(node, ['pv', 'manual-pv'], '{.status.phase}', (v) => v === 'Released');
    assert.match(await node.k('get', 'pv', 'manual-pv'), /\nmanual-pv\s+1Gi\s+RWO\s+Retain\s+Released\s+default\/static\s+manual\s+<unset>\s+\S+\n/);
    assert.equal(readFileSync(join(dir, 'seed'), 'utf8'), 'from the admin\n');
    await node.k('delete', 'pv', 'manual-pv', '--wait=true');
  });
});
