/**
 * Native sidecars on the real containerd (docs/kubelet-semantics.md §10): start
 * gating on the startupProbe, READY counting sidecars, and — when the app
 * completes under Never — sidecars stopped after it in reverse order, with
 * the phase decided by the app alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode } from './harness.ts';

const manifest = (shared: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: sidecars
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 10
  initContainers:
  - name: proxy
    image: busybox:1.35
    restartPolicy: Always
    command: ["sh", "-c", "echo \\"$(date +%s) proxy start\\" >> /shared/log; trap 'echo \\"$(date +%s) proxy stop\\" >> /shared/log; exit 1' TERM; sleep 2; touch /tmp/up; while true; do sleep 1; done"]
    startupProbe:
      exec: {command: ["test", "-f", "/tmp/up"]}
      periodSeconds: 1
      failureThreshold: 30
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: logger
    image: busybox:1.35
    restartPolicy: Always
    command: ["sh", "-c", "echo \\"$(date +%s) logger start\\" >> /shared/log; trap 'echo \\"$(date +%s) logger stop\\" >> /shared/log; exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: setup
    image: busybox:1.35
    command: ["sh", "-c", "echo \\"$(date +%s) setup done\\" >> /shared/log"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "echo \\"$(date +%s) app start\\" >> /shared/log; sleep 5; echo \\"$(date +%s) app done\\" >> /shared/log"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  # A host directory, not an emptyDir: the node removes a finished pod's
  # emptyDir, and the test reads the log after the pod completed.
  - name: shared
    hostPath: {path: ${shared}, type: DirectoryOrCreate}
`;

test('sidecars gate on their startup probe, count in READY, and stop after the app in reverse order', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  await sleep(1000);
  const shared = join(node.dataDir, 'sidecar-shared');
  await node.kubectl(['apply', '-f', '-'], { input: manifest(shared) });

  // Initializing: the proxy runs but has not started; nothing after it runs.
  await watch.waitFor(/^sidecars\s+0\/3\s+Init:0\/3\s/, 20_000);
  await watch.waitFor(/^sidecars\s+3\/3\s+Running\s+0\s/, 40_000);
  const running = JSON.parse(await node.k('get', 'pod', 'sidecars', '-o', 'json'));
  assert.equal(running.status.phase, 'Running');
  const [proxy, logger, setup] = running.status.initContainerStatuses;
  assert.deepEqual([proxy.name, proxy.started, proxy.ready], ['proxy', true, true]);
  assert.deepEqual([logger.name, logger.started, logger.ready], ['logger', true, true]);
  assert.equal(setup.state.terminated.reason, 'Completed');
  assert.ok(proxy.state.running && logger.state.running);

  const done = JSON.parse(await node.waitForJsonpath('pod/sidecars', '{}', (v) => JSON.parse(v).status?.phase === 'Succeeded', 40_000));
  const byName = Object.fromEntries(done.status.initContainerStatuses.map((s: any) => [s.name, s]));
  assert.equal(byName.proxy.state.terminated.exitCode, 1, 'the proxy exits 1 on SIGTERM, and the pod still Succeeded');
  assert.equal(byName.logger.state.terminated.exitCode, 0);
  assert.equal(byName.proxy.restartCount, 0, 'sidecars are not restarted when the pod completes');
  assert.match(await node.k('get', 'pod', 'sidecars', '--no-headers'), /^sidecars\s+0\/3\s+Completed\s+0\s/);

  const log = readFileSync(join(shared, 'log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const events = log.map((l) => `${l[1]} ${l[2]}`);
  assert.deepEqual(events, ['proxy start', 'logger start', 'setup done', 'app start', 'app done', 'logger stop', 'proxy stop']);
  const at = (e: string) => Number(log[events.indexOf(e)][0]);
  assert.ok(at('logger start') - at('proxy start') >= 2, 'the next container waited for the proxy startup probe');

  const kills = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=Killing', '-o', 'json')).items;
  assert.deepEqual(kills.map((e: any) => e.message).sort(), ['Stopping container logger', 'Stopping container proxy']);
});
