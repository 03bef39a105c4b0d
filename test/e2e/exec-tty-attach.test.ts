/**
 * `kubectl exec -it` and `kubectl attach` (issue 4) on a real pseudo-terminal
 * (pty-session.ts): the shell in the container has a TTY, sees the
 * terminal's size and its resizes, and `exit 5` becomes kubectl's exit code —
 * over WebSocket (kubectl 1.33/1.32) and SPDY (1.29). Attach reads a running
 * container's output, or joins a `stdin: true, tty: true` shell, and leaving
 * does not stop the container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BerthNode, kubectlBin } from './harness.ts';
import { PtySession } from './pty-session.ts';

const sdk = '/usr/lib/google-cloud-sdk/bin';
const clients = [
  { name: 'kubectl (dispatcher)', bin: kubectlBin },
  { name: 'kubectl 1.32', bin: `${sdk}/kubectl.1.32` },
  { name: 'kubectl 1.29 (SPDY)', bin: `${sdk}/kubectl.1.29` },
];

const manifests = `apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  - name: console
    image: busybox:1.35
    command: ["sh"]
    stdin: true
    tty: true
  - name: ticker
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"]
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
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  containers:
  - name: kubia
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

function kubectlLine(node: BerthNode, bin: string, args: string): string {
  return `${bin} --cache-dir ${join(node.dataDir, 'kubectl-cache')} ${args}`;
}

test('kubectl exec -it and attach work on a terminal over WebSocket and SPDY', async (t) => {
  const node = await BerthNode.start(t);
  const applied = await node.kubectl(['apply', '-f', '-'], { input: manifests });
  assert.equal(applied.code, 0, applied.stderr);
  await node.waitForJsonpath('pod/box', '{.status.phase}', (v) => v === 'Running', 60_000);
  await node.waitForJsonpath('pod/kubia-init-slow', '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '', 60_000);

  for (const c of clients) {
    await t.test(`${c.name}: exec -it gets a TTY, its size and resizes, and the exit code`, async (tt) => {
      const pty = new PtySession(kubectlLine(node, c.bin, 'exec -it box -c app -- sh'), node.env, { rows: 24, cols: 80 });
      tt.after(() => pty.kill());
      await pty.waitFor(/\/ # /);
      // Quoting keeps the typed command itself (echoed by the TTY) from matching.
      const [, tty] = await pty.retypeUntil('echo "T""TY=$(tty) SIZE=$(stty size)"', /TTY=(\S+) SIZE=24 80/);
      assert.match(tty, /^\/dev\/pts\/\d+$/);
      await pty.resize(50, 132);
      await pty.retypeUntil('echo "S""IZE=$(stty size)"', /SIZE=50 132/);
      pty.send('exit 5\n');
      assert.equal(await pty.exited, 5);
      assert.match(pty.output, /command terminated with exit code 5/);
    });
  }

  await t.test('exec -it into the running init container of kubia-init-slow', async (tt) => {
    const pty = new PtySession(kubectlLine(node, kubectlBin, 'exec -it kubia-init-slow -c init-slow -- sh'), node.env);
    tt.after(() => pty.kill());
    await pty.waitFor(/\/ # /);
    await pty.retypeUntil('echo "R""OLE=$ROLE ON=$(tty)"', /ROLE=init-slow ON=\/dev\/pts\/\d+/);
    pty.send('exit\n');
    assert.equal(await pty.exited, 0);
  });

  for (const c of [clients[0], clients[2]]) {
    await t.test(`${c.name}: attach without stdin streams the container's output until kubectl stops`, async () => {
      const child = spawn(c.bin, ['--cache-dir', join(node.dataDir, 'kubectl-cache'), 'attach', 'box', '-c', 'ticker'], {
        env: { ...process.env, ...node.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const closed = new Promise((r) => child.on('close', r));
      try {
        const end = Date.now() + 30_000;
        while ((out.match(/^tick \d+$/gm) ?? []).length < 2) {
          if (Date.now() > end) throw new Error(`attach printed no ticks: ${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const ticks = (out.match(/^tick (\d+)$/gm) ?? []).map((l) => Number(l.split(' ')[1]));
        assert.ok(ticks[1] === ticks[0] + 1, `consecutive live ticks: ${ticks.join(', ')}`);
      } finally {
        child.kill('SIGTERM');
        await closed;
      }
    });

    await t.test(`${c.name}: attach -it joins the stdin/tty shell; leaving keeps the container running`, async (tt) => {
      const pty = new PtySession(kubectlLine(node, c.bin, 'attach -it box -c console'), node.env);
      tt.after(() => pty.kill());
      await pty.waitFor(/If you don't see a command prompt, try pressing enter\./);
      await pty.retypeUntil('echo "A""T=$(tty)"', /AT=\/dev\/pts\/\d+/);
      await pty.kill();
      const after = await node.kubectl(['exec', 'box', '-c', 'console', '--', 'echo', 'still here']);
      assert.deepEqual([after.code, after.stdout], [0, 'still here\n']);
      const restarts = await node.k('get', 'pod', 'box', '-o', 'jsonpath={.status.containerStatuses[?(@.name=="console")].restartCount}');
      assert.equal(restarts, '0');
    });
  }
});
