/**
 * `kubectl exec` without a terminal (issue 4), with every protocol kubectl
 * speaks: WebSocket v5 bridged to containerd's SPDY (kubectl 1.33 through the
 * dispatcher, 1.32), and SPDY proxied through (1.29, which has no WebSocket,
 * and 1.27). Output, stdin and its close, exit codes, exec into a running
 * init container, and the errors a cluster gives — which differ by protocol
 * exactly as they do against kube-apiserver ≥ 1.30.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode, kubectlBin } from './harness.ts';

const sdk = '/usr/lib/google-cloud-sdk/bin';
const clients = [
  { name: 'kubectl (the dispatcher’s pick for a 1.33 server)', bin: kubectlBin, websocket: true },
  { name: 'kubectl 1.32', bin: `${sdk}/kubectl.1.32`, websocket: true },
  { name: 'kubectl 1.29', bin: `${sdk}/kubectl.1.29`, websocket: false },
  { name: 'kubectl 1.27', bin: `${sdk}/kubectl.1.27`, websocket: false },
];

const manifests = `apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  - name: side
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: kubia-init-slow
spec:
  initContainers:
  - name: init-slow
    image: busybox:1.35
    env: [{name: ROLE, value: init-slow}]
    command: ["sh", "-c", "echo waiting; trap 'exit 0' TERM; while true; do sleep 1; done"]
  containers:
  - name: kubia
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('kubectl exec streams output, stdin and exit codes over WebSocket and SPDY, into app and init containers', async (t) => {
  const node = await BerthNode.start(t);
  const applied = await node.kubectl(['apply', '-f', '-'], { input: manifests });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/shell', '{.status.phase}', (v) => v === 'Running', 60_000);
  await node.waitForJsonpath('pod/kubia-init-slow', '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '', 60_000);

  for (const c of clients) {
    await t.test(c.name, async () => {
      const k = (args: string[], input?: string) => node.kubectl(args, { bin: c.bin, input, timeoutMs: 60_000 });

      // stdout and stderr apart; the exit code becomes kubectl's.
      const r = await k(['exec', 'shell', '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /^err\n/m);
      assert.match(r.stderr, /^command terminated with exit code 3$/m);
      assert.equal(r.code, 3);

      const ok = await k(['exec', 'shell', '-c', 'side', '--', 'echo', 'hi from side']);
      assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'hi from side\n', '']);

      // stdin reaches the command and its end closes the command's stdin.
      const cat = await k(['exec', '-i', 'shell', '-c', 'app', '--', 'cat'], 'line one\nline two\n');
      assert.deepEqual([cat.code, cat.stdout], [0, 'line one\nline two\n']);
      const big = 'x'.repeat(1_000_000);
      const wc = await k(['exec', '-i', 'shell', '-c', 'app', '--', 'wc', '-c'], big);
      assert.deepEqual([wc.code, wc.stdout.trim()], [0, '1000000']);

      // The container defaults like logs: the first app container, announced on stderr.
      const def = await k(['exec', 'shell', '--', 'sh', '-c', 'exit 0']);
      assert.equal(def.code, 0);
      assert.match(def.stderr, /Defaulted container "app" out of: app, side/);

      // A running init container is a running container.
      const init = await k(['exec', 'kubia-init-slow', '-c', 'init-slow', '--', 'sh', '-c', 'echo "role=$ROLE"']);
      assert.deepEqual([init.code, init.stdout], [0, 'role=init-slow\n']);

      // A command that cannot start: containerd's error, wrapped once more by the WebSocket translator.
      const nosuch = await k(['exec', 'shell', '-c', 'app', '--', '/no/such']);
      assert.equal(nosuch.code, 1);
      const prefix = c.websocket ? 'error: Internal error occurred: Internal error occurred: ' : 'error: Internal error occurred: ';
      assert.ok(nosuch.stderr.startsWith(`${prefix}error executing command in container: failed to exec in container: `), nosuch.stderr);
      assert.match(nosuch.stderr, /exec: "\/no\/such": stat \/no\/such: no such file or directory/);

      // Not running yet (its pod is still initializing): the kubelet's refusal.
      const waiting = await k(['exec', 'kubia-init-slow', '-c', 'kubia', '--', 'true']);
      assert.equal(waiting.code, 1);
      const refusal = 'unable to upgrade connection: container not found ("kubia")';
      assert.equal(waiting.stderr.trim(), c.websocket ? `error: Internal error occurred: ${refusal}` : `error: ${refusal}`);

      // Not a container of the pod: kube-apiserver's BadRequest, for every protocol.
      const invalid = await k(['exec', 'kubia-init-slow', '-c', 'nope', '--', 'true']);
      assert.equal(invalid.code, 1);
      assert.equal(invalid.stderr.trim(), 'Error from server (BadRequest): container nope is not valid for pod kubia-init-slow');
    });
  }
});
