/**
 * `berth play` beyond the examples: --quiet, --timeout, image pull failures,
 * Ctrl-C, apply errors in kubectl's words, usage errors, and an existing node
 * (by --kubeconfig or $KUBECONFIG) where re-applying is "unchanged" for
 * berth play and kubectl alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BerthNode } from './harness.ts';
import { berth, cliSandbox, leftovers, startPlay } from './cli-fixture.ts';

const quickPod = (name: string, labels = 'app: quick') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait']
`;

const slowInitPod = `apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  initContainers:
  - name: wait
    image: busybox:1.35
    command: ['sh', '-c', 'echo "wait: sleeping"; sleep 300']
  containers:
  - name: app
    image: busybox:1.35
    command: ['sleep', '3600']
`;

test('play --quiet prints only the outcome', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['--quiet', '-f', '-'], env, { input: quickPod('quick') });
  assert.equal(await r.exit(), 0, r.text);
  assert.equal(r.out.length, 1, r.text);
  assert.match(r.out[0], /^pod\/quick Running \(1\/1 ready\) after \d+\.\d s$/);
  assert.deepEqual(r.err, []);
});

test('play --timeout gives up with the pod\'s STATUS and exit 1, and still removes the node', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['--timeout', '3s', '-f', '-'], env, { input: slowInitPod });
  assert.equal(await r.exit(), 1, r.text);
  assert.match(r.text, /^\[pod\/slow\/wait\] wait: sleeping$/m);
  assert.match(r.text, /^pod\/slow timed out after 3\.\d s: STATUS Init:0\/1$/m);
  assert.deepEqual(leftovers(r.ephemeralDir!), []);
});

test('play fails fast on ErrImagePull and shows the pull error', async (t) => {
  const { env } = cliSandbox(t);
  const pod = quickPod('no-image').replace('busybox:1.35', '127.0.0.1:1/nothing:1.0');
  const r = startPlay(t, ['-f', '-'], env, { input: pod });
  assert.equal(await r.exit(), 1, r.text);
  assert.match(r.text, /Normal\s+Pulling\s+pod\/no-image\s+Pulling image "127\.0\.0\.1:1\/nothing:1\.0"/);
  assert.match(r.text, /^pod\/no-image failed after \d+\.\d s: ErrImagePull: container "app" is waiting: ErrImagePull \(.*127\.0\.0\.1:1.*\)$/m);
  assert.doesNotMatch(r.text, /log lines of/, 'a container that never ran has no logs to show');
  assert.deepEqual(leftovers(r.ephemeralDir!), []);
});

test('play notes a slow image pull every 5 s until it ends', async (t) => {
  const { env } = cliSandbox(t);
  // A registry that takes 7 s to say it has no such image.
  const registry = createHttpServer((req, res) => {
    const timer = setTimeout(() => res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'), 7000);
    req.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => registry.close(() => resolve())));
  const image = `127.0.0.1:${(registry.address() as AddressInfo).port}/slow:1`;
  const r = startPlay(t, ['-f', '-'], env, { input: quickPod('slow-pull').replace('busybox:1.35', image) });
  assert.equal(await r.exit(), 1, r.text);
  assert.match(r.text, new RegExp(`^! berth: still pulling image "${image}" for pod/slow-pull \\([56] s\\)$`, 'm'));
  assert.match(r.text, /^pod\/slow-pull failed after \d+\.\d s: ErrImagePull: /m);
});

test('Ctrl-C stops play with exit 130 and removes the ephemeral node', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', '-'], env, { input: slowInitPod });
  await r.waitFor(/wait: sleeping/);
  r.child.kill('SIGINT');
  assert.equal(await r.exit(), 130, r.text);
  assert.match(r.text, /! berth: interrupted after \d+\.\d s/);
  assert.match(r.text, /! berth: ephemeral node removed/);
  assert.deepEqual(leftovers(r.ephemeralDir!), []);
});

test('play whose reader goes away (berth play | head) finishes and still removes its ephemeral node', async (t) => {
  const { env } = cliSandbox(t);
  const r = startPlay(t, ['-f', '-'], env, { input: quickPod('gone-reader') });
  await r.waitFor(/pod\/gone-reader created/);
  const dir = r.ephemeralDir!;
  // What `head -1` does once it has its line: close the pipe.
  r.child.stdout!.destroy();
  r.child.stderr!.destroy();
  assert.equal(await r.exit(), 0);
  assert.deepEqual(leftovers(dir), []);
});

test('play on an existing node: created, then unchanged for play and for kubectl apply, then configured', async (t) => {
  const node = await BerthNode.start(t);
  const { env } = cliSandbox(t);
  const first = startPlay(t, ['--kubeconfig', node.kubeconfig, '-f', '-'], env, { input: quickPod('kept') });
  assert.equal(await first.exit(), 0, first.text);
  assert.match(first.text, new RegExp(`! berth: using https://127\\.0\\.0\\.1:\\d+ \\(context "berth" from ${node.kubeconfig}\\)`));
  assert.equal(first.ephemeralDir, undefined);
  assert.match(first.text, /^pod\/kept created$/m);
  assert.match(await node.k('get', 'pod', 'kept', '-o', 'jsonpath={.status.phase}'), /^Running$/, 'the pod stays on the node');

  // $KUBECONFIG is used too; re-applying the same manifest changes nothing and returns at once.
  const again = startPlay(t, ['-f', '-'], { ...env, KUBECONFIG: node.kubeconfig }, { input: quickPod('kept') });
  assert.equal(await again.exit(), 0, again.text);
  assert.match(again.text, /from \$KUBECONFIG\)/);
  assert.match(again.text, /^pod\/kept unchanged$/m);
  assert.match(again.text, /^pod\/kept Running \(1\/1 ready\)/m);

  // kubectl reads berth play's last-applied configuration as its own.
  const kubectlApply = await node.kubectl(['apply', '-f', '-'], { input: quickPod('kept') });
  assert.equal(kubectlApply.code, 0, kubectlApply.stderr);
  assert.match(kubectlApply.stdout, /^pod\/kept unchanged$/m);

  const changed = startPlay(t, ['--kubeconfig', node.kubeconfig, '-f', '-'], env, { input: quickPod('kept', 'app: quick, tier: demo') });
  assert.equal(await changed.exit(), 0, changed.text);
  assert.match(changed.text, /^pod\/kept configured$/m);
  assert.equal(await node.k('get', 'pod', 'kept', '-o', 'jsonpath={.metadata.labels.tier}'), 'demo');
});

test('play reports apply errors as kubectl does: invalid objects and unknown kinds', async (t) => {
  const node = await BerthNode.start(t);
  const { env } = cliSandbox(t);
  const invalid = `apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: app
`;
  const r = await berth(['play', '--kubeconfig', node.kubeconfig, '-f', '-'], env, { input: invalid });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^berth: Error from server \(Invalid\): error when creating "STDIN": Pod "bad" is invalid: spec\.containers\[0\]\.image: Required value$/m);

  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: web\n';
  const d = await berth(['play', '--kubeconfig', node.kubeconfig, '-f', '-'], env, { input: widget });
  assert.equal(d.code, 1);
  assert.match(d.stderr, /resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "Widget" in version "example\.com\/v1"/);

  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';
  const e = await berth(['play', '--kubeconfig', node.kubeconfig, '-f', '-'], env, { input: deployment });
  assert.equal(e.code, 1);
  assert.match(e.stderr, /^berth: Error from server \(Invalid\): error when creating "STDIN": Deployment\.apps "web" is invalid: \[spec\.selector: Required value, /m);
  assert.equal((await node.kubectl(['get', 'pod', 'bad'])).code, 1, 'nothing was created');
});

test('play refuses misuse with exit 2 and unreadable manifests with exit 1, before starting anything', async (t) => {
  const { env } = cliSandbox(t);
  const cases: [string[], number, RegExp][] = [
    [['play'], 2, /berth: no manifests: pass at least one with -f FILE\nRun "berth play --help" for usage\./],
    [['play', 'pod.yaml'], 2, /unexpected argument "pod\.yaml": manifests are passed with -f FILE/],
    [['play', '-f', 'x.yaml', '--timeout', 'soon'], 2, /invalid value "soon" for --timeout/],
    [['play', '-f', 'x.yaml', '--ephemeral', '--kubeconfig', 'k'], 2, /--ephemeral and --kubeconfig exclude each other/],
    [['play', '-f', 'x.yaml', '--colour'], 2, /unknown flag "--colour" for "berth play"/],
    [['play', '-f', '/nonexistent/pod.yaml'], 1, /^error: the path "\/nonexistent\/pod\.yaml" does not exist$/m],
    [['play', '-f', '/nonexistent/pod.yaml', '--kubeconfig', '/nonexistent/kubeconfig'], 1, /error: read kubeconfig "\/nonexistent\/kubeconfig": no such file|the path/],
  ];
  for (const [args, code, re] of cases) {
    const r = await berth(args, env, { timeoutMs: 30_000 });
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /ephemeral node/, 'no node was started');
  }
  const help = await berth(['play', '--help'], env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: berth play -f FILE/);
});
