/**
 * Crash safety of a rollout (issue 11): berth is killed with SIGKILL in the
 * middle of a Deployment's rolling update and started again on the same data
 * directory. The rollout finishes with the same revision numbers, one
 * ReplicaSet per template, and never more pods than maxSurge allows once it
 * is done: no extra pods, no lost ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthNode } from './harness.ts';
import { applyText, kubectlUntil } from './kubectl-fixtures.ts';

const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: roll
spec:
  replicas: 4
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: roll
  template:
    metadata:
      labels:
        app: roll
    spec:
      terminationGracePeriodSeconds: 1
      initContainers:
      - name: wait
        image: busybox:1.35
        command: ["sh", "-c", "sleep 1"]
      containers:
      - name: app
        image: ${image}
        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

test('a rollout interrupted by kill -9 of berth finishes after a restart with the same revisions and no extra pods', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  let node = await BerthNode.start(t, { dataDir });
  t.after(() => node.destroy());

  await applyText(node, manifest('busybox:1.35'));
  assert.equal((await node.kubectl(['rollout', 'status', 'deploy/roll', '--timeout=120s'], { timeoutMs: 130_000 })).code, 0);
  const first = await node.k('get', 'rs', '-l', 'app=roll', '-o', 'jsonpath={.items[0].metadata.name}');

  await applyText(node, manifest('docker.io/library/busybox:1.35'));
  // Mid-rollout: the new ReplicaSet exists and has started, the old one still has pods.
  await kubectlUntil(node, ['get', 'rs', '-l', 'app=roll', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.replicas}{"\\n"}{end}'], (r) => {
    const rows = r.stdout.split('\n').filter(Boolean);
    return rows.length === 2 && rows.every((row) => !row.endsWith('=0') && !row.endsWith('='));
  }, 60_000);
  await node.kill9();
  node = await BerthNode.start(t, { dataDir });

  const done = await node.kubectl(['rollout', 'status', 'deploy/roll', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(done.code, 0, done.stderr);
  const sets = (await node.k('get', 'rs', '-l', 'app=roll', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas}{"\\n"}{end}'))
    .split('\n')
    .filter(Boolean)
    .sort();
  assert.equal(sets.length, 2, sets.join(','));
  assert.ok(sets.includes(`${first}=1=0`), sets.join(','));
  assert.ok(sets.some((s) => s.endsWith('=2=4')), sets.join(','));
  assert.equal(await node.k('get', 'deploy', 'roll', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '2');
  // Once the old pods are gone, exactly the 4 replicas are left.
  const pods = await kubectlUntil(node, ['get', 'pods', '-l', 'app=roll', '-o', 'name'], (r) => r.stdout.split('\n').filter(Boolean).length === 4, 60_000);
  assert.equal(pods.stdout.split('\n').filter(Boolean).length, 4);
});
