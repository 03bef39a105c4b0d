/**
 * Pods that talk to the API, as on a cluster (issue 10): a container uses
 * its mounted ServiceAccount token over https://kubernetes.default.svc
 * (kubectl's in-cluster config: KUBERNETES_SERVICE_HOST, the token and
 * ca.crt), is refused with RBAC's exact text until a RoleBinding grants
 * `view`, and `kubectl auth can-i` answers what the API then does. An init
 * container waits through the API (`kubectl wait`, the k8s-wait-for
 * pattern) until another pod is Ready. kubectl is the host's static binary,
 * mounted read-only into the pods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil } from './kubectl-fixtures.ts';

const kubectlInPod = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

const withKubectl = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
${spec}  volumes:
  - name: kubectl
    hostPath:
      path: ${kubectlInPod}
      type: File
`;

test('a pod uses its ServiceAccount token against the API: forbidden until a RoleBinding, and an init container waits for another pod through it', { skip: !existsSync(kubectlInPod) && `no ${kubectlInPod}` }, async (t) => {
  const node = await BerthNode.start(t, { serviceNetwork: true });
  await applyText(
    node,
    withKubectl(
      'client',
      `  containers:
  - name: shell
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts:
    - name: kubectl
      mountPath: /bin/kubectl
      readOnly: true
`,
    ),
  );
  await jsonpathUntil(node, ['pod', 'client'], '{.status.phase}', (v) => v === 'Running');
  const inPod = (...args: string[]) => node.kubectl(['exec', 'client', '--', 'kubectl', ...args], { timeoutMs: 30_000 });

  const whoami = await inPod('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
  assert.equal(whoami.stdout, 'system:serviceaccount:default:default', whoami.stderr);
  const denied = await inPod('get', 'pods');
  assert.notEqual(denied.code, 0);
  assert.match(
    denied.stderr,
    /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"/,
  );
  assert.equal((await inPod('auth', 'can-i', 'list', 'pods')).stdout, 'no\n');
  assert.equal((await node.kubectl(['auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:default:default'])).stdout, 'no\n');

  assert.match(await node.k('create', 'rolebinding', 'default-view', '--clusterrole=view', '--serviceaccount=default:default'), /created/);
  assert.equal((await node.kubectl(['auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:default:default'])).stdout, 'yes\n');
  assert.equal((await inPod('auth', 'can-i', 'list', 'pods')).stdout, 'yes\n');
  const listed = await inPod('get', 'pods', '-o', 'name');
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^pod\/client$/m);
  // view reads, it does not write: can-i and the API agree.
  assert.equal((await inPod('auth', 'can-i', 'delete', 'pods')).stdout, 'no\n');
  const del = await inPod('delete', 'pod', 'client', '--wait=false');
  assert.match(del.stderr, /cannot delete resource "pods" in API group "" in the namespace "default"/);

  // An init container that waits through the API until another pod is Ready.
  await applyText(
    node,
    withKubectl(
      'waiter',
      `  initContainers:
  - name: wait-for-db
    image: busybox:1.35
    command: ["sh", "-c", "until kubectl get pod db >/dev/null 2>&1; do echo 'wait-for-db: no pod db yet'; sleep 1; done; kubectl wait --for=condition=Ready pod/db --timeout=120s"]
    volumeMounts:
    - name: kubectl
      mountPath: /bin/kubectl
      readOnly: true
  containers:
  - name: app
    image: busybox:1.35
    command: ["sh", "-c", "echo started after db; trap 'exit 0' TERM; while true; do sleep 1; done"]
`,
    ),
  );
  await jsonpathUntil(node, ['pod', 'waiter'], '{.status.initContainerStatuses[0].state.running.startedAt}', (v) => v !== '');
  assert.match(await node.k('get', 'pod', 'waiter'), /\nwaiter\s+0\/1\s+Init:0\/1\s/);
  await applyText(
    node,
    `apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: db
    image: busybox:1.35
    command: ["sh", "-c", "sleep 2; touch /tmp/ready; trap 'exit 0' TERM; while true; do sleep 1; done"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready"]
      periodSeconds: 1
`,
  );
  await jsonpathUntil(node, ['pod', 'waiter'], '{.status.phase}', (v) => v === 'Running', 90_000);
  const logs = await node.k('logs', 'waiter', '-c', 'wait-for-db');
  assert.match(logs, /pod\/db condition met\n$/);
  const dbReady = Date.parse(await node.k('get', 'pod', 'db', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].lastTransitionTime}'));
  const appStarted = Date.parse(await node.k('get', 'pod', 'waiter', '-o', 'jsonpath={.status.containerStatuses[0].state.running.startedAt}'));
  assert.ok(appStarted >= dbReady, 'the app started only after db was Ready');
});
