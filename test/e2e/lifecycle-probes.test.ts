/**
 * Probes on the real containerd (docs/kubelet-semantics.md §11): a readiness probe
 * over HTTP to the pod IP flipping READY both ways behind a tcpSocket startup
 * probe, and an exec liveness probe restarting its container with the
 * probe's own grace period.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode } from './harness.ts';

const readinessPod = `
apiVersion: v1
kind: Pod
metadata:
  name: readiness
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox:1.35
    ports: [{name: http, containerPort: 8080}]
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /www; sleep 1; httpd -p 8080 -h /www; sleep 2; touch /www/ready; sleep 6; rm /www/ready; sleep 6; touch /www/ready; while true; do sleep 1; done"]
    startupProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
      failureThreshold: 30
    readinessProbe:
      httpGet: {path: /ready, port: http, httpHeaders: [{name: X-Probe, value: berth}]}
      periodSeconds: 1
      failureThreshold: 1
`;

test('a readiness probe over HTTP flips READY and the Ready conditions both ways', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  await sleep(1000);
  await node.kubectl(['apply', '-f', '-'], { input: readinessPod });

  await watch.waitFor(/^readiness\s+1\/1\s+Running\s/, 40_000);
  const pod = JSON.parse(await node.k('get', 'pod', 'readiness', '-o', 'json'));
  assert.equal(pod.status.containerStatuses[0].started, true);
  assert.equal(pod.status.containerStatuses[0].ready, true);
  const conds = (p: any) => Object.fromEntries(p.status.conditions.map((c: any) => [c.type, c.status]));
  assert.equal(conds(pod).Ready, 'True');
  assert.equal(conds(pod).ContainersReady, 'True');

  await node.waitForJsonpath('pod/readiness', '{.status.containerStatuses[0].ready}', (v) => v === 'false', 20_000);
  const unready = JSON.parse(await node.k('get', 'pod', 'readiness', '-o', 'json'));
  const r = unready.status.conditions.find((c: any) => c.type === 'Ready');
  assert.equal(r.status, 'False');
  assert.equal(r.reason, 'ContainersNotReady');
  assert.equal(r.message, 'containers with unready status: [web]');
  assert.equal(unready.status.phase, 'Running');
  assert.equal(unready.status.containerStatuses[0].restartCount, 0, 'readiness failures never restart');

  await node.waitForJsonpath('pod/readiness', '{.status.containerStatuses[0].ready}', (v) => v === 'true', 20_000);
  await watch.waitFor(/^readiness\s+1\/1\s+Running/);
  // What `kubectl get pods -w` showed in READY while Running: 0/1 (startup), 1/1, 0/1, 1/1.
  const ready = watch.lines
    .filter((l) => l.startsWith('readiness ') && l.split(/\s+/)[2] === 'Running')
    .map((l) => l.split(/\s+/)[1])
    .filter((x, i, all) => i === 0 || x !== all[i - 1]);
  assert.deepEqual(ready.slice(-3), ['1/1', '0/1', '1/1'], `READY while Running: ${ready.join(' → ')}`);

  const events = JSON.parse(await node.k('get', 'events', '--field-selector', 'reason=Unhealthy,involvedObject.name=readiness', '-o', 'json')).items;
  const messages = events.map((e: any) => e.message);
  assert.ok(messages.includes('Readiness probe failed: HTTP probe failed with statuscode: 404'), messages.join('\n'));
  assert.ok(events.every((e: any) => e.type === 'Warning' && e.involvedObject.fieldPath === 'spec.containers{web}'));
});

const livenessPod = `
apiVersion: v1
kind: Pod
metadata:
  name: liveness
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      initialDelaySeconds: 1
      periodSeconds: 1
      failureThreshold: 2
      terminationGracePeriodSeconds: 2
`;

test('a failing liveness probe restarts the container within the probe grace period', async (t) => {
  const node = await BerthNode.start(t);
  await node.kubectl(['apply', '-f', '-'], { input: livenessPod });
  const pod = JSON.parse(
    await node.waitForJsonpath('pod/liveness', '{}', (v) => JSON.parse(v).status?.containerStatuses?.[0]?.restartCount >= 1, 40_000),
  );
  const app = pod.status.containerStatuses[0];
  // sh as PID 1 ignores SIGTERM: the probe's 2 s grace ends in SIGKILL, not the pod's 30 s.
  assert.equal(app.lastState.terminated.exitCode, 137);
  assert.equal(app.lastState.terminated.reason, 'Error');
  const killedAfter = (Date.parse(app.lastState.terminated.finishedAt) - Date.parse(app.lastState.terminated.startedAt)) / 1000;
  assert.ok(killedAfter >= 4 && killedAfter <= 9, `the first instance lived ${killedAfter} s`);

  const events = JSON.parse(await node.k('get', 'events', '--field-selector', 'involvedObject.name=liveness', '-o', 'json')).items;
  const find = (reason: string) => events.filter((e: any) => e.reason === reason);
  assert.deepEqual(
    find('Unhealthy').map((e: any) => e.message),
    ["Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"],
  );
  assert.ok(find('Unhealthy')[0].count >= 2, 'each failed attempt is counted');
  assert.deepEqual(find('Killing').map((e: any) => e.message), ['Container app failed liveness probe, will be restarted']);
  assert.ok(find('Started')[0].count >= 2);
});
