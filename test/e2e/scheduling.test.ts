/**
 * Scheduling end to end (issue 11): berth's scheduler says no as
 * kube-scheduler v1.33 does for one node. A pod asking for more cpu than the
 * node has, and one whose nodeSelector matches nothing, stay Pending with
 * PodScheduled=False/Unschedulable and a FailedScheduling event that
 * `kubectl get events` and `kubectl describe pod` show word for word; a
 * plain pod still runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const manifests = `
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
    resources:
      requests: {cpu: "1000"}
---
apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  terminationGracePeriodSeconds: 1
  nodeSelector: {disktype: none-such}
  containers:
  - name: app
    image: busybox:1.35
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    resources:
      requests: {cpu: 100m, memory: 16Mi}
`;

const expected: Record<string, string> = {
  huge: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  picky: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('pods that cannot fit stay Pending with the FailedScheduling message of kube-scheduler; a plain pod runs', async (t) => {
  const node = await BerthNode.start(t);
  await node.waitForJsonpath('nodes', '{.items[0].status.conditions[?(@.type=="Ready")].status}', (s) => s === 'True', 30_000);
  const r = await node.kubectl(['apply', '-f', '-'], { input: manifests });
  assert.equal(r.code, 0, r.stderr);
  await node.waitForJsonpath('pod/plain', '{.status.phase}', (p) => p === 'Running', 60_000);

  for (const [name, message] of Object.entries(expected)) {
    await node.waitForJsonpath(`pod/${name}`, '{.status.conditions[?(@.type=="PodScheduled")].message}', (m) => m === message, 30_000);
    const cond = JSON.parse(await node.k('get', 'pod', name, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")]}'));
    assert.deepEqual([cond.status, cond.reason], ['False', 'Unschedulable']);
    assert.equal(await node.k('get', 'pod', name, '-o', 'jsonpath={.status.phase}{.spec.nodeName}'), 'Pending');

    const events = JSON.parse(await node.k('get', 'events', '-o', 'json')).items.filter(
      (e: { involvedObject: { name: string }; reason: string }) => e.involvedObject.name === name && e.reason === 'FailedScheduling',
    );
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0].message, message);
    assert.equal(events[0].type, 'Warning');
    const table = await node.k('get', 'events', '--field-selector', `involvedObject.name=${name}`);
    assert.match(table, new RegExp(`Warning\\s+FailedScheduling\\s+pod/${name}\\s+${escape(message)}`));

    const described = await node.k('describe', 'pod', name);
    assert.match(described, /^Node:\s+<none>$/m);
    assert.match(described, /^Status:\s+Pending$/m);
    assert.match(described, /^\s+PodScheduled\s+False\s*$/m);
    assert.match(described, new RegExp(`Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+${escape(message)}$`, 'm'));
  }
  assert.match(await node.k('get', 'pods'), /^huge\s+0\/1\s+Pending\s+0\s+/m);
});
