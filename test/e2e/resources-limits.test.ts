/**
 * Resources end to end (issue 3): requests and limits become the container's
 * cgroup limits (memory limit, CPU shares and CFS quota), a container that
 * exceeds its memory limit is OOMKilled with exit code 137 — for an init
 * container that is a failure like any other (docs/kubelet-semantics.md §5) —
 * and resourceFieldRef values reach the environment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const limits = `
apiVersion: v1
kind: Pod
metadata:
  name: limited
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox:1.35
    resources:
      requests: {cpu: 250m, memory: 32Mi}
      limits: {cpu: 500m, memory: 64Mi}
    env:
    - name: MEM_LIMIT_MI
      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
    - name: CPU_REQUEST_M
      valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}
    command:
    - sh
    - -c
    - |
      cg=/sys/fs/cgroup
      echo "memory=$(cat $cg/memory/memory.limit_in_bytes)"
      echo "shares=$(cat $cg/cpu,cpuacct/cpu.shares 2>/dev/null || cat $cg/cpu/cpu.shares)"
      echo "quota=$(cat $cg/cpu,cpuacct/cpu.cfs_quota_us 2>/dev/null || cat $cg/cpu/cpu.cfs_quota_us)"
      echo "period=$(cat $cg/cpu,cpuacct/cpu.cfs_period_us 2>/dev/null || cat $cg/cpu/cpu.cfs_period_us)"
      echo "env MEM_LIMIT_MI=$MEM_LIMIT_MI CPU_REQUEST_M=$CPU_REQUEST_M"
      trap 'exit 0' TERM; while true; do sleep 1; done
`;

const oom = `
apiVersion: v1
kind: Pod
metadata:
  name: oom
spec:
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox:1.35
    resources:
      limits: {memory: 32Mi}
    command: ["sh", "-c", "echo allocating; exec tail /dev/zero"]
`;

const initOom = `
apiVersion: v1
kind: Pod
metadata:
  name: init-oom
spec:
  restartPolicy: Never
  initContainers:
  - name: hog
    image: busybox:1.35
    resources:
      limits: {memory: 32Mi}
    command: ["sh", "-c", "exec tail /dev/zero"]
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "echo app must never run"]
`;

test('requests and limits become cgroup limits and resourceFieldRef values', async (t) => {
  const node = await BerthNode.start(t);
  const r = await node.kubectl(['apply', '-f', '-'], { input: limits });
  assert.equal(r.code, 0, r.stderr);
  await node.waitForJsonpath('pod/limited', '{.status.phase}', (p) => p === 'Running', 60_000);
  let out = '';
  for (let i = 0; i < 50 && !out.includes('env '); i++) {
    out = (await node.kubectl(['logs', 'limited'])).stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.match(out, new RegExp(`^memory=${64 * 1024 * 1024}$`, 'm'));
  assert.match(out, /^shares=256$/m);
  assert.match(out, /^quota=50000$/m);
  assert.match(out, /^period=100000$/m);
  assert.match(out, /^env MEM_LIMIT_MI=64 CPU_REQUEST_M=250$/m);
  assert.equal(await node.k('get', 'pod', 'limited', '-o', 'jsonpath={.status.qosClass}'), 'Burstable');
});

test('a container over its memory limit is OOMKilled with exit code 137; an OOMKilled init container fails the pod under Never', async (t) => {
  const node = await BerthNode.start(t);
  const watch = node.watch(['get', 'pods', '-w']);
  for (const m of [oom, initOom]) {
    const r = await node.kubectl(['apply', '-f', '-'], { input: m });
    assert.equal(r.code, 0, r.stderr);
  }
  await node.waitForJsonpath('pod/oom', '{.status.phase}', (p) => p === 'Failed', 60_000);
  const st = JSON.parse(await node.k('get', 'pod', 'oom', '-o', 'json')).status;
  const term = st.containerStatuses[0].state.terminated;
  assert.equal(term.reason, 'OOMKilled');
  assert.equal(term.exitCode, 137);
  await watch.waitFor(/^oom\s+0\/1\s+OOMKilled\s+0\s/, 30_000);
  const logs = await node.k('logs', 'oom');
  assert.match(logs, /allocating/);

  await node.waitForJsonpath('pod/init-oom', '{.status.phase}', (p) => p === 'Failed', 60_000);
  const init = JSON.parse(await node.k('get', 'pod', 'init-oom', '-o', 'json')).status;
  assert.equal(init.initContainerStatuses[0].state.terminated.reason, 'OOMKilled');
  assert.equal(init.initContainerStatuses[0].state.terminated.exitCode, 137);
  assert.equal(init.containerStatuses[0].state.waiting?.reason, 'PodInitializing');
  await watch.waitFor(/^init-oom\s+0\/1\s+Init:OOMKilled\s+0\s/, 30_000);
});
