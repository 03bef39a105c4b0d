/**
 * Updating a running pod with kubectl (issue 4): apply with a changed image
 * (strategic merge patch) restarts only that container (docs/kubelet-semantics.md
 * §10.6), other spec changes are refused with the Forbidden message, and
 * `edit`, `patch` (strategic, merge, json), `label` and `annotate` work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode, kubectlBin, run } from './harness.ts';
import { applyText, jsonpathUntil } from './kubectl-fixtures.ts';

const loop = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

function manifest(appImage: string, opts: { command?: string; initImage?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: updatable
  labels: {app: updatable}
spec:
  initContainers:
  - name: prepare
    image: ${opts.initImage ?? 'busybox:1.35'}
    command: ["sh", "-c", "echo prepared"]
  containers:
  - name: app
    image: ${appImage}
    command: ${opts.command ?? loop}
  - name: side
    image: busybox:1.35
    command: ${loop}
`;
}

interface Snapshot {
  [name: string]: { id: string; restarts: number; image: string };
}

async function snapshot(node: BerthNode): Promise<Snapshot> {
  const pod = JSON.parse(await node.k('get', 'pod', 'updatable', '-o', 'json'));
  const out: Snapshot = {};
  for (const s of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) {
    out[s.name] = { id: s.containerID, restarts: s.restartCount, image: s.image };
  }
  return out;
}

test('kubectl updates a running pod the way a cluster allows', async (t) => {
  const node = await BerthNode.start(t);
  const dir = mkdtempSync(join(tmpdir(), 'berth-apply-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pod.yaml');

  writeFileSync(file, manifest('busybox:1.35'));
  assert.equal(await node.k('apply', '-f', file), 'pod/updatable created\n');
  await node.k('wait', '--for=condition=Ready', 'pod/updatable', '--timeout=60s');
  const before = await snapshot(node);

  await t.test('re-applying a changed image patches the pod and restarts only that container', async () => {
    writeFileSync(file, manifest('docker.io/library/busybox:1.35'));
    assert.equal(await node.k('apply', '-f', file), 'pod/updatable configured\n');
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.spec.containers[0].image}'), 'docker.io/library/busybox:1.35');
    await jsonpathUntil(node, ['pod/updatable'], '{.status.containerStatuses[?(@.name=="app")].restartCount}', (v) => v === '1');
    await node.k('wait', '--for=condition=Ready', 'pod/updatable', '--timeout=60s');
    const after = await snapshot(node);
    assert.notEqual(after.app.id, before.app.id, 'app runs a new container');
    assert.deepEqual(after.side, before.side, 'side is untouched');
    assert.deepEqual(after.prepare, before.prepare, 'the init container is not re-run');
    const killing = await node.k('get', 'events', '--field-selector', 'reason=Killing', '-o', 'jsonpath={range .items[*]}{.involvedObject.fieldPath}: {.message}{"\\n"}{end}');
    assert.equal(killing, 'spec.containers{app}: Container app definition changed, will be restarted\n');
    assert.equal(await node.k('apply', '-f', file), 'pod/updatable unchanged\n');
  });

  await t.test('a completed init container\'s new image is stored but not run again', async () => {
    writeFileSync(file, manifest('docker.io/library/busybox:1.35', { initImage: 'docker.io/library/busybox:1.35' }));
    assert.equal(await node.k('apply', '-f', file), 'pod/updatable configured\n');
    // Give the node a moment to (wrongly) act on it, then check nothing ran.
    await node.k('wait', '--for=condition=Ready', 'pod/updatable', '--timeout=60s');
    await new Promise((r) => setTimeout(r, 2000));
    const after = await snapshot(node);
    assert.equal(after.prepare.id, before.prepare.id);
    assert.equal(after.prepare.restarts, 0);
  });

  await t.test('other spec changes are refused with Kubernetes\' Forbidden message and a diff', async () => {
    writeFileSync(file, manifest('docker.io/library/busybox:1.35', { initImage: 'docker.io/library/busybox:1.35', command: '["sleep", "10"]' }));
    const r = await node.kubectl(['apply', '-f', file]);
    assert.equal(r.code, 1);
    const [first, ...diff] = r.stderr.split('\n');
    assert.equal(
      first,
      'The Pod "updatable" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
    const body = diff.join('\n');
    assert.match(body, /core\.PodSpec\{/);
    assert.match(body, /^-\s+Command: \{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"\},$/m);
    assert.match(body, /^\+\s+Command: \{"sleep", "10"\},$/m);
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.spec.containers[0].command[0]}'), 'sh');
  });

  await t.test('kubectl patch: strategic (by container name), merge and json', async () => {
    assert.equal(await node.k('patch', 'pod', 'updatable', '-p', '{"metadata":{"labels":{"patched":"strategic"}},"spec":{"containers":[{"name":"side","image":"docker.io/library/busybox:1.35"}]}}'), 'pod/updatable patched\n');
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.spec.containers[*].name} {.spec.containers[*].image}'), 'app side docker.io/library/busybox:1.35 docker.io/library/busybox:1.35');
    assert.equal(await node.k('patch', 'pod', 'updatable', '--type=merge', '-p', '{"metadata":{"labels":{"patched":null,"merge":"yes"}}}'), 'pod/updatable patched\n');
    assert.equal(await node.k('patch', 'pod', 'updatable', '--type=json', '-p', '[{"op":"add","path":"/metadata/annotations/json","value":"yes"},{"op":"test","path":"/metadata/labels/merge","value":"yes"}]'), 'pod/updatable patched\n');
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.metadata.labels} {.metadata.annotations.json}'), '{"app":"updatable","merge":"yes"} yes');
    const noop = await node.k('patch', 'pod', 'updatable', '--type=merge', '-p', '{"metadata":{"labels":{"merge":"yes"}}}');
    assert.equal(noop, 'pod/updatable patched (no change)\n');
    const failed = await node.kubectl(['patch', 'pod', 'updatable', '--type=json', '-p', '[{"op":"test","path":"/metadata/labels/merge","value":"no"}]']);
    assert.equal(failed.code, 1);
    // kube-apiserver answers a failed json patch with NewGenericServerResponse(422): reason Invalid, no causes.
    assert.equal(failed.stderr, 'The request is invalid: the server rejected our request due to an error in our request\n');
    const forbidden = await node.kubectl(['patch', 'pod', 'updatable', '-p', '{"spec":{"restartPolicy":"Never"}}']);
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.stderr, /^The Pod "updatable" is invalid: spec: Forbidden: pod updates may not change fields other than /);
  });

  await t.test('kubectl label and annotate, with --overwrite and removal', async () => {
    assert.equal(await node.k('label', 'pod', 'updatable', 'tier=web'), 'pod/updatable labeled\n');
    const clash = await node.kubectl(['label', 'pod', 'updatable', 'tier=db']);
    assert.equal(clash.stderr, "error: 'tier' already has a value (web), and --overwrite is false\n");
    assert.equal(await node.k('label', 'pod', 'updatable', 'tier=db', '--overwrite'), 'pod/updatable labeled\n');
    assert.equal(await node.k('get', 'pods', '-l', 'tier=db', '-o', 'name'), 'pod/updatable\n');
    assert.equal(await node.k('label', 'pod', 'updatable', 'tier-'), 'pod/updatable unlabeled\n');
    assert.equal(await node.k('annotate', 'pod', 'updatable', 'owner=team-a'), 'pod/updatable annotated\n');
    assert.equal(await node.k('annotate', 'pod', 'updatable', 'owner-'), 'pod/updatable annotated\n');
    const bad = await node.kubectl(['label', 'pod', 'updatable', 'bad_key!=x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid label spec: bad_key!=x|"bad_key!": name part must consist of/);
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.metadata.labels} {.metadata.annotations.owner}'), '{"app":"updatable","merge":"yes"} ');
  });

  await t.test('kubectl edit applies an editor\'s change, and reports a refused one', async (st) => {
    // kubectl keeps the temporary files of a refused edit in /tmp: remove the ones this test makes.
    const editFiles = () => new Set(readdirSync(tmpdir()).filter((f) => /^kubectl-edit-\d+\.yaml$/.test(f)));
    const existing = editFiles();
    st.after(() => {
      for (const f of editFiles()) if (!existing.has(f)) rmSync(join(tmpdir(), f), { force: true });
    });
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s|^    app: updatable$|    app: updatable\\n    edited: \\"yes\\"|" "$1"\n');
    chmodSync(editor, 0o755);
    const edit = (script: string) =>
      run(kubectlBin, ['--cache-dir', join(node.dataDir, 'kubectl-cache'), 'edit', 'pod', 'updatable'], { env: { ...node.env, EDITOR: script } });
    const ok = await edit(editor);
    assert.equal(ok.stderr, '');
    assert.equal(ok.stdout, 'pod/updatable edited\n');
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.metadata.labels.edited}'), 'yes');

    const refuse = join(dir, 'refuse.sh');
    writeFileSync(refuse, '#!/bin/sh\nsed -i "s|restartPolicy: Always|restartPolicy: Never|" "$1"\n');
    chmodSync(refuse, 0o755);
    const refused = await edit(refuse);
    assert.equal(refused.code, 1);
    // kubectl reopens the editor with the server's causes; the script changes nothing more, so kubectl gives up.
    assert.match(refused.stderr, /^error: pods "updatable" is invalid\nA copy of your changes has been stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
    const copy = /stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"/.exec(refused.stderr)![1];
    assert.match(readFileSync(copy, 'utf8'), /^# pods "updatable" was not valid:\n# \* spec: Forbidden: pod updates may not change fields other than /m);
    assert.equal(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.spec.restartPolicy}'), 'Always');
  });
});

test('kubectl apply --server-side owns fields, removes what it stops applying, and reports conflicts', async (t) => {
  const node = await BerthNode.start(t);
  const dir = mkdtempSync(join(tmpdir(), 'berth-ssa-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pod.yaml');
  const write = (labels: string, image = 'busybox:1.35') =>
    writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ssa\n  labels: {${labels}}\nspec:\n  containers:\n  - name: main\n    image: ${image}\n    command: ${loop}\n`);

  write('a: "1", b: "2"');
  assert.equal(await node.k('apply', '--server-side', '--dry-run=server', '-f', file), 'pod/ssa serverside-applied (server dry run)\n');
  assert.equal((await node.kubectl(['get', 'pod', 'ssa'])).code, 1, 'a server dry run stores nothing');
  assert.equal(await node.k('apply', '--server-side', '-f', file), 'pod/ssa serverside-applied\n');
  const managed = JSON.parse(await node.k('get', 'pod', 'ssa', '-o', 'jsonpath={.metadata.managedFields}', '--show-managed-fields'));
  assert.deepEqual(managed.map((e: any) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);
  assert.deepEqual(managed[0].fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:a': {}, 'f:b': {} } });
  assert.deepEqual(Object.keys(managed[0].fieldsV1['f:spec']['f:containers']), ['k:{"name":"main"}']);
  // -o yaml hides managedFields unless asked, as on a cluster.
  assert.doesNotMatch(await node.k('get', 'pod', 'ssa', '-o', 'yaml'), /managedFields/);

  write('a: "1", c: "3"');
  assert.equal(await node.k('apply', '--server-side', '-f', file), 'pod/ssa serverside-applied\n');
  assert.equal(await node.k('get', 'pod', 'ssa', '-o', 'jsonpath={.metadata.labels}'), '{"a":"1","c":"3"}');

  assert.equal(await node.k('label', 'pod', 'ssa', 'a=9', '--overwrite'), 'pod/ssa labeled\n');
  const conflict = await node.kubectl(['apply', '--server-side', '-f', file]);
  assert.equal(conflict.code, 1);
  assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-label" using v1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \.metadata\.labels\.a\nPlease review the fields above--they currently have other managers\./);
  assert.equal(await node.k('apply', '--server-side', '--force-conflicts', '-f', file), 'pod/ssa serverside-applied\n');
  assert.equal(await node.k('get', 'pod', 'ssa', '-o', 'jsonpath={.metadata.labels.a}'), '1');

  // Changing the image restarts the container, as with client-side apply.
  write('a: "1", c: "3"', 'docker.io/library/busybox:1.35');
  assert.equal(await node.k('apply', '--server-side', '-f', file), 'pod/ssa serverside-applied\n');
  await jsonpathUntil(node, ['pod/ssa'], '{.status.containerStatuses[0].restartCount}', (v) => v === '1');

  // A pod made by client-side apply moves to server-side apply without conflicts.
  const csa = join(dir, 'csa.yaml');
  writeFileSync(csa, manifest('busybox:1.35'));
  assert.equal(await node.k('apply', '-f', csa), 'pod/updatable created\n');
  writeFileSync(csa, manifest('docker.io/library/busybox:1.35'));
  assert.equal(await node.k('apply', '--server-side', '-f', csa), 'pod/updatable serverside-applied\n');
  const after = JSON.parse(await node.k('get', 'pod', 'updatable', '-o', 'jsonpath={.metadata.managedFields}', '--show-managed-fields'));
  assert.ok(after.some((e: any) => e.manager === 'kubectl' && e.operation === 'Apply'));
  assert.ok(!after.some((e: any) => e.manager === 'kubectl-client-side-apply'), 'kubectl moved client-side ownership to server-side apply');
});
