/**
 * Image pulls end to end (issue 3, docs/kubelet-semantics.md §7) against Debian's
 * docker-registry on 127.0.0.1: a plain pull with the kubelet's Pulling /
 * Pulled events and the image names Kubernetes shows; a registry behind
 * htpasswd auth, refused without and pulled with an imagePullSecret; an
 * unpullable image going ErrImagePull → ImagePullBackOff with the pod
 * Pending (also as an init container under restartPolicy Never).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { Registry } from './registry-fixture.ts';

const pod = (name: string, image: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
${extra}  containers:
  - name: app
    image: ${image}
    command: ["sh", "-c", "echo pulled image runs; trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

async function events(node: BerthNode, name: string): Promise<string[]> {
  const out = await node.k(
    'get',
    'events',
    '--field-selector',
    `involvedObject.name=${name}`,
    '--sort-by=.metadata.creationTimestamp',
    '-o',
    'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}',
  );
  return out.trim().split('\n').filter(Boolean);
}

test('a pod pulls its image from a local registry with the kubelet events and status image names', async (t) => {
  const registry = await Registry.start(t);
  const digest = await registry.push('busybox-1.35.tar', 'berth/busybox', '1.35');
  const node = await BerthNode.start(t);
  const image = `${registry.host}/berth/busybox:1.35`;
  const applied = await node.kubectl(['apply', '-f', '-'], { input: pod('pulled', image) });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/pulled', '{.status.phase}', (p) => p === 'Running', 60_000);

  const evs = await events(node, 'pulled');
  const pulling = evs.indexOf(`Normal Pulling Pulling image "${image}"`);
  assert.ok(pulling >= 0, evs.join('\n'));
  assert.match(
    evs[pulling + 1],
    new RegExp(`^Normal Pulled Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in \\d+(\\.\\d+)?m?s \\(\\d+(\\.\\d+)?m?s including waiting\\)\\. Image size: \\d+ bytes\\.$`),
  );
  const status = JSON.parse(await node.k('get', 'pod', 'pulled', '-o', 'jsonpath={.status.containerStatuses[0]}'));
  assert.equal(status.image, image);
  assert.equal(status.imageID, `${registry.host}/berth/busybox@${digest}`);
  assert.match(await node.k('logs', 'pulled'), /pulled image runs/);

  // A second pod with the default IfNotPresent policy finds it present.
  await node.kubectl(['apply', '-f', '-'], { input: pod('again', image) });
  await node.waitForJsonpath('pod/again', '{.status.phase}', (p) => p === 'Running', 60_000);
  assert.ok((await events(node, 'again')).includes(`Normal Pulled Container image "${image}" already present on machine`));
});

test('a registry behind htpasswd refuses a pod without credentials and serves one with an imagePullSecret', async (t) => {
  const registry = await Registry.start(t, { auth: { username: 'berth', password: 'pull-secret-pw' } });
  await registry.push('busybox-1.35.tar', 'private/busybox', '1.35');
  const node = await BerthNode.start(t);
  const image = `${registry.host}/private/busybox:1.35`;

  await node.kubectl(['apply', '-f', '-'], { input: pod('no-creds', image) });
  await node.waitForJsonpath('pod/no-creds', '{.status.containerStatuses[0].state.waiting.reason}', (r) => r === 'ErrImagePull' || r === 'ImagePullBackOff', 60_000);
  const refused = (await events(node, 'no-creds')).find((e) => e.startsWith('Warning Failed Failed to pull image'));
  assert.match(refused ?? '', /401 Unauthorized/);

  await node.k(
    'create',
    'secret',
    'docker-registry',
    'regcred',
    `--docker-server=${registry.host}`,
    '--docker-username=berth',
    '--docker-password=pull-secret-pw',
  );
  await node.kubectl(['apply', '-f', '-'], { input: pod('with-creds', image, '  imagePullSecrets:\n  - name: regcred\n') });
  await node.waitForJsonpath('pod/with-creds', '{.status.phase}', (p) => p === 'Running', 60_000);
  assert.ok((await events(node, 'with-creds')).some((e) => e.startsWith(`Normal Pulled Successfully pulled image "${image}"`)));
  // The password never shows in events or berth's output.
  assert.doesNotMatch(await node.k('get', 'events', '-o', 'yaml'), /pull-secret-pw/);
  assert.doesNotMatch(node.output.join('\n'), /pull-secret-pw/);
});

test('an unpullable image goes ErrImagePull → ImagePullBackOff and the pod stays Pending, as an init container too', async (t) => {
  const registry = await Registry.start(t);
  const node = await BerthNode.start(t);
  const image = `${registry.host}/berth/missing:1.0`;
  const watch = node.watch(['get', 'pods', '-w']);
  await node.kubectl(['apply', '-f', '-'], { input: pod('unpullable', image) });
  await watch.waitFor(/^unpullable\s+0\/1\s+ErrImagePull\s/, 60_000);
  await watch.waitFor(/^unpullable\s+0\/1\s+ImagePullBackOff\s/, 60_000);
  const st = JSON.parse(await node.k('get', 'pod', 'unpullable', '-o', 'json')).status;
  assert.equal(st.phase, 'Pending');
  const waiting = st.containerStatuses[0].state.waiting;
  assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(waiting.reason));
  if (waiting.reason === 'ImagePullBackOff') assert.match(waiting.message, new RegExp(`^Back-off pulling image "${image.replace(/[.]/g, '\\.')}": ErrImagePull: rpc error: code = NotFound desc = `));

  const describe = await node.k('describe', 'pod', 'unpullable');
  assert.match(describe, /Normal\s+Pulling\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Pulling image "127\.0\.0\.1:\d+\/berth\/missing:1\.0"/);
  assert.match(describe, /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Failed to pull image "127\.0\.0\.1:\d+\/berth\/missing:1\.0": rpc error: code = NotFound desc = failed to pull and unpack image/);
  assert.match(describe, /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Error: ErrImagePull/);
  assert.match(describe, /Normal\s+BackOff\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Back-off pulling image "127\.0\.0\.1:\d+\/berth\/missing:1\.0"/);
  assert.match(describe, /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Error: ImagePullBackOff/);

  // As an init container under restartPolicy Never: Init:ErrImagePull / Init:ImagePullBackOff, still Pending.
  const initPod = `
apiVersion: v1
kind: Pod
metadata:
  name: init-unpullable
spec:
  restartPolicy: Never
  initContainers:
  - name: fetch
    image: ${image}
  containers:
  - name: app
    image: busybox:1.35
    command: ["true"]
`;
  await node.kubectl(['apply', '-f', '-'], { input: initPod });
  await watch.waitFor(/^init-unpullable\s+0\/1\s+Init:ErrImagePull\s/, 60_000);
  await watch.waitFor(/^init-unpullable\s+0\/1\s+Init:ImagePullBackOff\s/, 60_000);
  const init = JSON.parse(await node.k('get', 'pod', 'init-unpullable', '-o', 'json')).status;
  assert.equal(init.phase, 'Pending');
  assert.equal(init.containerStatuses[0].state.waiting.reason, 'PodInitializing');
});
