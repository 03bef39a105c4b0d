/**
 * kubectl parity for the resources around pods (issue 4): namespaces and
 * their deletion, configmaps and secrets made by `kubectl create` and used by
 * a pod, selectors, output formats, `wait`, `get all`, `api-resources`,
 * `explain`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, quickPod } from './kubectl-fixtures.ts';

test('kubectl drives namespaces, configmaps, secrets, selectors and output formats as on a cluster', async (t) => {
  const node = await BerthNode.start(t);
  const files = mkdtempSync(join(tmpdir(), 'berth-kubectl-'));
  t.after(() => rmSync(files, { recursive: true, force: true }));

  await t.test('kubectl create namespace, configmap and secret (protobuf bodies from kubectl ≥ 1.32) work', async () => {
    assert.equal(await node.k('create', 'namespace', 'shop'), 'namespace/shop created\n');
    const conf = join(files, 'app.properties');
    writeFileSync(conf, 'color=blue\nsize=2\n');
    assert.equal(
      await node.k('-n', 'shop', 'create', 'configmap', 'settings', '--from-literal=mode=fast', `--from-file=${conf}`),
      'configmap/settings created\n',
    );
    assert.equal(await node.k('-n', 'shop', 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret'), 'secret/creds created\n');

    assert.equal(await node.k('-n', 'shop', 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}|{.data.app\\.properties}'), 'fast|color=blue\nsize=2\n');
    const secret = await node.k('-n', 'shop', 'get', 'secret', 'creds', '-o', 'jsonpath={.type} {.data.password}');
    assert.equal(secret, `Opaque ${Buffer.from('s3cret').toString('base64')}`);
    // As on a cluster, the namespace holds the root-CA publisher's kube-root-ca.crt.
    assert.match(await node.k('-n', 'shop', 'get', 'cm,secret'), /^NAME\s+DATA\s+AGE\nconfigmap\/kube-root-ca\.crt\s+1\s+\d+s\nconfigmap\/settings\s+2\s+\d+s\n\nNAME\s+TYPE\s+DATA\s+AGE\nsecret\/creds\s+Opaque\s+1\s+\d+s\n$/);
    assert.match(await node.k('get', 'namespace', 'shop'), /^NAME\s+STATUS\s+AGE\nshop\s+Active\s+\d+s\n$/);

    const describeSecret = await node.k('-n', 'shop', 'describe', 'secret', 'creds');
    assert.match(describeSecret, /^Name:\s+creds\nNamespace:\s+shop\n/);
    assert.match(describeSecret, /Type:\s+Opaque\n\nData\n====\npassword:\s+6 bytes\n/);
    assert.doesNotMatch(describeSecret, /s3cret/);
    const describeCm = await node.k('-n', 'shop', 'describe', 'configmap', 'settings');
    // kubectl walks the data map in Go's random order: check each key's block.
    assert.match(describeCm, /\nData\n====\n/);
    assert.match(describeCm, /\napp\.properties:\n----\ncolor=blue\nsize=2\n\n/);
    assert.match(describeCm, /\nmode:\n----\nfast\n/);
  });

  await t.test('a pod reads the configmap and the secret through env valueFrom', async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: reader
  namespace: shop
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo mode=$MODE password=$PASSWORD"]
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: settings, key: mode}}
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: creds, key: password}}
`;
    assert.equal(await applyText(node, manifest), 'pod/reader created\n');
    await jsonpathUntil(node, ['pod/reader', '-n', 'shop'], '{.status.phase}', (p) => p === 'Succeeded');
    assert.equal(await node.k('-n', 'shop', 'logs', 'reader'), 'mode=fast password=s3cret\n');
  });

  await t.test('label and field selectors, -A, and every output format', async () => {
    for (const [name, namespace, labels] of [
      ['web-1', 'shop', { app: 'web', tier: 'front' }],
      ['web-2', 'shop', { app: 'web', tier: 'back' }],
      ['db-1', 'default', { app: 'db' }],
    ] as const) {
      await applyText(node, quickPod(name, { namespace, labels }));
    }
    assert.match(await node.k('wait', '--for=condition=Ready', 'pod', '--all', '-n', 'shop', '-l', 'app=web', '--timeout=60s'), /^pod\/web-1 condition met\npod\/web-2 condition met\n$/);
    assert.equal(await node.k('wait', '--for=condition=Ready', 'pod/db-1', '--timeout=60s'), 'pod/db-1 condition met\n');

    const all = await node.k('get', 'pods', '-A', '-l', 'app in (web,db)', '--sort-by=.metadata.name');
    const rows = all.trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(rows[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((r) => `${r[0]}/${r[1]} ${r[2]} ${r[3]}`), ['default/db-1 1/1 Running', 'shop/web-1 1/1 Running', 'shop/web-2 1/1 Running']);

    assert.equal(await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web,tier!=front', '-o', 'name'), 'pod/web-2\n');
    assert.equal(await node.k('get', 'pods', '-A', '--field-selector', 'metadata.namespace=shop,status.phase=Succeeded', '-o', 'name'), 'pod/reader\n');
    assert.equal(
      await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.tier}{"\\n"}{end}'),
      'web-1=front\nweb-2=back\n',
    );
    const columns = await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier,IMAGE:.spec.containers[0].image');
    assert.match(columns, /^NAME\s+TIER\s+IMAGE\nweb-1\s+front\s+busybox:1\.35\nweb-2\s+back\s+busybox:1\.35\n$/);
    const wide = await node.k('get', 'pod', 'web-1', '-n', 'shop', '-o', 'wide');
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nweb-1\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+\S+\s+<none>\s+<none>\n$/);
    const labels = await node.k('get', 'pod', 'web-1', '-n', 'shop', '--show-labels');
    assert.match(labels, /\sLABELS\nweb-1\s.*\sapp=web,tier=front\n$/);

    const json = JSON.parse(await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'json'));
    assert.equal(json.kind, 'List');
    assert.deepEqual(json.items.map((p: any) => `${p.kind}/${p.metadata.name}`), ['Pod/web-1', 'Pod/web-2']);
    const yaml = await node.k('get', 'pod', 'web-1', '-n', 'shop', '-o', 'yaml');
    assert.match(yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    assert.match(yaml, /\n {2}phase: Running\n/);

    // --sort-by asks for full objects in the Table rows (includeObject=Object).
    assert.equal(await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web', '--sort-by={.metadata.labels.tier}', '--no-headers', '-o', 'custom-columns=N:.metadata.name'), 'web-2\nweb-1\n');
    assert.match(await node.k('get', 'pods', '-n', 'shop', '-l', 'app=web', '--sort-by=.metadata.labels.tier'), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb-2\s.*\nweb-1\s/);

    const bad = await node.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /field label not supported: spec\.bogus/);
  });

  await t.test('kubectl get all, api-resources and get nodes answer as a one-node cluster', async () => {
    const all = await node.k('get', 'all', '-n', 'shop');
    assert.match(all, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    // `all` spans pods and services: kubectl names each row with its kind.
    assert.match(all, /\npod\/web-1\s+1\/1\s+Running\s/);
    const resources = await node.k('api-resources');
    const lines = resources.trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(lines[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    // The core group's row first where a name is served twice (events, and events.k8s.io's events).
    const byName = new Map<string, string>();
    for (const l of lines.slice(1)) if (!byName.has(l[0])) byName.set(l[0], l.slice(1).join(' '));
    assert.equal(byName.get('pods'), 'po v1 true Pod');
    assert.equal(byName.get('configmaps'), 'cm v1 true ConfigMap');
    assert.equal(byName.get('namespaces'), 'ns v1 false Namespace');
    assert.equal(byName.get('events'), 'ev v1 true Event');
    assert.ok(lines.some((l) => l.join(' ') === 'events events.k8s.io/v1 true Event'), resources);
    assert.equal(byName.get('secrets'), 'v1 true Secret');
    assert.match(await node.k('get', 'nodes'), /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n\S+\s+Ready\s+<none>\s+\S+\s+v1\.33/);
  });

  await t.test('kubectl explain reads the schemas from OpenAPI v3', async () => {
    const pod = await node.k('explain', 'pod');
    assert.match(pod, /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers that can run on a host\./);
    assert.match(pod, /\n {2}spec\t<PodSpec>\n/);
    assert.match(await node.k('explain', 'pod.spec'), /\n {2}containers\t<\[\]Container> -required-\n/);
    const containers = await node.k('explain', 'pod.spec.containers');
    assert.match(containers, /FIELD: containers <\[\]Container>\n/);
    assert.match(containers, /\n {2}image\t<string>\n/);
    assert.match(await node.k('explain', 'pod.spec.containers.resources.limits'), /FIELD: limits <map\[string\]Quantity>/);
    assert.match(await node.k('explain', 'configmap.data'), /FIELD: data <map\[string\]string>/);
    const missing = await node.kubectl(['explain', 'pod.spec.nosuch']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /field "nosuch" does not exist/);
  });

  await t.test('deleting a namespace deletes its pods and objects and refuses new ones meanwhile', async () => {
    // sleep as PID 1 ignores SIGTERM: the namespace stays Terminating for the 3 s grace period.
    const slow = quickPod('stubborn', { namespace: 'shop', specExtra: '  terminationGracePeriodSeconds: 3\n' }).replace(
      `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`,
      '["sleep", "3600"]',
    );
    await applyText(node, slow);
    await node.k('wait', '--for=condition=Ready', 'pod/stubborn', '-n', 'shop', '--timeout=60s');
    assert.equal(await node.k('delete', 'namespace', 'shop', '--wait=false'), 'namespace "shop" deleted\n');
    assert.match(await node.k('get', 'namespace', 'shop'), /\nshop\s+Terminating\s/);
    const refused = await node.kubectl(['-n', 'shop', 'create', 'configmap', 'late']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'error: failed to create configmap: configmaps "late" is forbidden: unable to create new content in namespace shop because it is being terminated\n');
    assert.equal(await node.k('wait', '--for=delete', 'namespace/shop', '--timeout=60s'), 'namespace/shop condition met\n');
    const gone = await node.kubectl(['get', 'pods', '-n', 'shop']);
    assert.equal(gone.stderr, 'No resources found in shop namespace.\n');
    const ns = await node.kubectl(['get', 'namespace', 'shop']);
    assert.equal(ns.stderr, 'Error from server (NotFound): namespaces "shop" not found\n');
    // Pods in other namespaces are untouched.
    assert.equal(await node.k('get', 'pods', '-o', 'name'), 'pod/db-1\n');
  });
});
