/**
 * The effective security context end to end: seccomp RuntimeDefault versus
 * the kubelet's default Unconfined, runAsUser / runAsGroup / fsGroup (the
 * group owns the pod's volumes), readOnlyRootFilesystem, and runAsNonRoot
 * refusing an image that runs as root with the kubelet's
 * CreateContainerConfigError message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';

const manifest = `
apiVersion: v1
kind: Pod
metadata:
  name: confined
spec:
  terminationGracePeriodSeconds: 1
  securityContext:
    runAsUser: 1000
    runAsGroup: 3000
    fsGroup: 2000
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: busybox:1.35
    securityContext:
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
    command:
    - sh
    - -c
    - |
      echo "id: $(id)"
      grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -s '\\t' ' '
      touch /data/f && echo "data: $(stat -c '%u:%g %a' /data/f) dir=$(stat -c '%g %a' /data)"
      touch /rootfs-file 2>/dev/null && echo rootfs-writable || echo rootfs-read-only
      trap 'exit 0' TERM; while true; do sleep 1; done
    volumeMounts: [{name: data, mountPath: /data}]
  - name: plain
    image: busybox:1.35
    securityContext:
      seccompProfile: {type: Unconfined}
      runAsUser: 0
    command: ["sh", "-c", "grep '^Seccomp:' /proc/self/status | tr -s '\\\\t' ' '; trap 'exit 0' TERM; while true; do sleep 1; done"]
  volumes:
  - name: data
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: non-root
spec:
  terminationGracePeriodSeconds: 1
  securityContext: {runAsNonRoot: true}
  containers:
  - name: app
    image: busybox:1.35
    command: ["true"]
`;

test('seccomp, users and groups, fsGroup volume ownership, read-only root and runAsNonRoot act as on a node', async (t) => {
  const node = await BerthNode.start(t);
  const r = await node.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(r.code, 0, r.stderr);
  await node.waitForJsonpath('pod/confined', '{.status.phase}', (p) => p === 'Running', 60_000);
  let out = '';
  for (let i = 0; i < 50 && !/rootfs-/.test(out); i++) {
    out = (await node.kubectl(['logs', 'confined', '-c', 'app'])).stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.match(out, /^id: uid=1000 gid=3000 groups=2000/m);
  assert.match(out, /^Seccomp: 2$/m);
  assert.match(out, /^NoNewPrivs: 1$/m);
  assert.match(out, /^data: 1000:2000 644 dir=2000 2777$/m);
  assert.match(out, /^rootfs-read-only$/m);
  let plain = '';
  for (let i = 0; i < 50 && !/Seccomp/.test(plain); i++) {
    plain = (await node.kubectl(['logs', 'confined', '-c', 'plain'])).stdout;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.match(plain, /^Seccomp: 0$/m);

  await node.waitForJsonpath('pod/non-root', '{.status.containerStatuses[0].state.waiting.reason}', (v) => v === 'CreateContainerConfigError', 60_000);
  const uid = await node.k('get', 'pod', 'non-root', '-o', 'jsonpath={.metadata.uid}');
  assert.equal(
    await node.k('get', 'pod', 'non-root', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}'),
    `container has runAsNonRoot and image will run as root (pod: "non-root_default(${uid})", container: app)`,
  );
});
