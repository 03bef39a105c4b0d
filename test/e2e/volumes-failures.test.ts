/**
 * What a pod shows while a configMap or secret it needs is missing
 * (issue 3): `FailedMount` warnings with the kubelet's text and the pod
 * waiting in ContainerCreating / Init:0/1 until the object appears; optional
 * sources are fine; a missing key in env is a CreateContainerConfigError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const manifests = `
apiVersion: v1
kind: Pod
metadata:
  name: needs-config
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "cat /config/k; echo; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts: [{name: config, mountPath: /config}]
  volumes:
  - name: config
    configMap: {name: late-config}
---
apiVersion: v1
kind: Pod
metadata:
  name: init-needs-secret
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["true"]
    volumeMounts: [{name: token, mountPath: /token}]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  volumes:
  - name: token
    secret: {secretName: late-secret}
---
apiVersion: v1
kind: Pod
metadata:
  name: optional-sources
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "ls /maybe | wc -l; echo \\"X=[$X]\\"; trap 'exit 0' TERM; while true; do sleep 1; done"]
    env:
    - name: X
      valueFrom: {configMapKeyRef: {name: nowhere, key: x, optional: true}}
    envFrom:
    - secretRef: {name: nowhere, optional: true}
    volumeMounts: [{name: maybe, mountPath: /maybe}]
  volumes:
  - name: maybe
    secret: {secretName: nowhere, optional: true}
---
apiVersion: v1
kind: Pod
metadata:
  name: missing-key
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    env:
    - name: K
      valueFrom: {secretKeyRef: {name: present, key: absent}}
`;

test('missing configMaps and secrets hold the pod with FailedMount until they appear; optional ones do not; a missing env key is CreateContainerConfigError', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  await node.k('create', 'secret', 'generic', 'present', '--from-literal=other=1');
  const r = await node.kubectl(['apply', '-f', '-'], { input: manifests });
  assert.equal(r.code, 0, r.stderr);

  await node.waitForJsonpath('pod/optional-sources', '{.status.phase}', (p) => p === 'Running', 60_000);
  let logs = '';
  for (let i = 0; i < 50 && !logs.includes('X='); i++) {
    logs = (await node.kubectl(['logs', 'optional-sources'])).stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.match(logs, /^0\nX=\[\]$/m);

  await node.waitForJsonpath('pod/missing-key', '{.status.containerStatuses[0].state.waiting.reason}', (v) => v === 'CreateContainerConfigError', 60_000);
  assert.equal(
    await node.k('get', 'pod', 'missing-key', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}'),
    "couldn't find key absent in Secret default/present",
  );
  await watch.waitFor(/^missing-key\s+0\/1\s+CreateContainerConfigError\s/, 30_000);
  assert.match(await node.k('describe', 'pod', 'missing-key'), /Warning\s+Failed\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Error: couldn't find key absent in Secret default\/present/);

  // Waiting for the volumes: FailedMount, no sandbox, the default waiting reasons.
  const failedMount = async (pod: string, text: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const d = await node.k('describe', 'pod', pod);
      if (new RegExp(`Warning\\s+FailedMount\\s+\\S+( \\(x\\d+ over \\S+\\))?\\s+kubelet\\s+${text}`).test(d)) return d;
      assert.ok(Date.now() < deadline, `no FailedMount for ${pod}:\n${d}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  await failedMount('needs-config', 'MountVolume\\.SetUp failed for volume "config" : configmap "late-config" not found');
  await failedMount('init-needs-secret', 'MountVolume\\.SetUp failed for volume "token" : secret "late-secret" not found');
  await watch.waitFor(/^needs-config\s+0\/1\s+ContainerCreating\s/, 10_000);
  await watch.waitFor(/^init-needs-secret\s+0\/1\s+Init:0\/1\s/, 10_000);
  const waiting = JSON.parse(await node.k('get', 'pod', 'needs-config', '-o', 'json')).status;
  assert.equal(waiting.phase, 'Pending');
  assert.equal(waiting.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
  assert.equal(waiting.podIP, undefined);
  assert.equal(waiting.conditions.find((c: { type: string }) => c.type === 'PodReadyToStartContainers')?.status, 'False');

  // The objects appear: both pods start (within the mount retry backoff).
  await node.k('create', 'configmap', 'late-config', '--from-literal=k=arrived');
  await node.k('create', 'secret', 'generic', 'late-secret', '--from-literal=t=1');
  await node.waitForJsonpath('pod/needs-config', '{.status.phase}', (p) => p === 'Running', 60_000);
  await node.waitForJsonpath('pod/init-needs-secret', '{.status.phase}', (p) => p === 'Running', 60_000);
  let arrived = '';
  for (let i = 0; i < 50 && !arrived.includes('arrived'); i++) {
    arrived = (await node.kubectl(['logs', 'needs-config'])).stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.match(arrived, /arrived/);
});
