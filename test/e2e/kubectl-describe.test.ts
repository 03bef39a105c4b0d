/**
 * `kubectl describe pod` parity (issue 4): Init Containers, Containers,
 * Conditions, Volumes and Events as a cluster shows them, events matched by
 * the field selector as a set, and aggregated events with their counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthNode } from './harness.ts';
import { applyText, jsonpathUntil, kubectlUntil } from './kubectl-fixtures.ts';

const rich = `apiVersion: v1
kind: Pod
metadata:
  name: rich
  labels: {app: rich}
  annotations: {team: blue}
spec:
  initContainers:
  - name: setup
    image: busybox:1.35
    command: ["sh", "-c", "echo hello > /data/index.html"]
    volumeMounts: [{name: scratch, mountPath: /data}]
  containers:
  - name: web
    image: busybox:1.35
    command: ["httpd", "-f", "-p", "8080", "-h", "/data"]
    ports: [{containerPort: 8080, name: http}]
    env: [{name: GREETING, value: hi}]
    resources:
      requests: {cpu: 100m, memory: 32Mi}
      limits: {memory: 64Mi}
    volumeMounts: [{name: scratch, mountPath: /data, readOnly: true}]
  - name: crasher
    image: busybox:1.35
    command: ["sh", "-c", "echo crashing; exit 3"]
  volumes:
  - name: scratch
    emptyDir: {}
`;

const date = String.raw`\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}`;
const hex64 = '[0-9a-f]{64}';
const ip = String.raw`10\.244\.\d+\.\d+`;

/** Container ID, Image and Image ID of a busybox:1.35 container. */
const imageLines = [
  `    Container ID:  containerd://${hex64}`,
  String.raw`    Image:         busybox:1\.35`,
  String.raw`    Image ID:      docker\.io/library/busybox@sha256:${hex64}`,
];

/** describe's text up to Events, line by line; each line is a regex source (anchored). */
const expectedHead = [
  'Name:             rich',
  'Namespace:        default',
  'Priority:         0',
  'Service Account:  default',
  String.raw`Node:             \S+/10\.244\.0\.1`,
  `Start Time:       ${date}`,
  'Labels:           app=rich',
  'Annotations:      team: blue',
  'Status:           Running',
  `IP:               ${ip}`,
  'IPs:',
  `  IP:  ${ip}`,
  'Init Containers:',
  '  setup:',
  ...imageLines,
  '    Port:          <none>',
  '    Host Port:     <none>',
  '    Command:',
  '      sh',
  '      -c',
  '      echo hello > /data/index.html',
  '    State:          Terminated',
  '      Reason:       Completed',
  '      Exit Code:    0',
  `      Started:      ${date}`,
  `      Finished:     ${date}`,
  '    Ready:          True',
  '    Restart Count:  0',
  '    Environment:    <none>',
  '    Mounts:',
  String.raw`      /data from scratch \(rw\)`,
  String.raw`      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)`,
  'Containers:',
  '  web:',
  ...imageLines,
  '    Port:          8080/TCP',
  '    Host Port:     0/TCP',
  '    Command:',
  '      httpd',
  '      -f',
  '      -p',
  '      8080',
  '      -h',
  '      /data',
  '    State:          Running',
  `      Started:      ${date}`,
  '    Ready:          True',
  '    Restart Count:  0',
  '    Limits:',
  '      memory:  64Mi',
  '    Requests:',
  '      cpu:     100m',
  '      memory:  32Mi',
  '    Environment:',
  '      GREETING:  hi',
  '    Mounts:',
  String.raw`      /data from scratch \(ro\)`,
  String.raw`      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)`,
  '  crasher:',
  ...imageLines,
  '    Port:          <none>',
  '    Host Port:     <none>',
  '    Command:',
  '      sh',
  '      -c',
  '      echo crashing; exit 3',
  '    State:          Waiting',
  '      Reason:       CrashLoopBackOff',
  '    Last State:     Terminated',
  '      Reason:       Error',
  '      Exit Code:    3',
  `      Started:      ${date}`,
  `      Finished:     ${date}`,
  '    Ready:          False',
  String.raw`    Restart Count:  [2-9]\d*`,
  '    Environment:    <none>',
  '    Mounts:',
  String.raw`      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)`,
  'Conditions:',
  '  Type                        Status',
  '  PodReadyToStartContainers   True ',
  '  Initialized                 True ',
  '  Ready                       False ',
  '  ContainersReady             False ',
  '  PodScheduled                True ',
  'Volumes:',
  '  scratch:',
  String.raw`    Type:       EmptyDir \(a temporary directory that shares a pod's lifetime\)`,
  '    Medium:     ',
  '    SizeLimit:  <unset>',
  '  kube-api-access-[a-z0-9]{5}:',
  String.raw`    Type:                    Projected \(a volume that contains injected data from multiple sources\)`,
  '    TokenExpirationSeconds:  3607',
  '    ConfigMapName:           kube-root-ca\\.crt',
  '    Optional:                false',
  '    DownwardAPI:             true',
  'QoS Class:                   Burstable',
  'Node-Selectors:              <none>',
  'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
  '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
  'Events:',
];

test('kubectl describe pod shows a cluster\'s sections, its own events only, and event counts', async (t) => {
  const node = await BerthNode.start(t);
  await applyText(node, rich);
  await applyText(
    node,
    `apiVersion: v1\nkind: Pod\nmetadata: {name: neighbour}\nspec:\n  containers: [{name: idle, image: "busybox:1.35", command: ["true"]}]\n  restartPolicy: Never\n`,
  );
  await jsonpathUntil(node, ['pod/rich'], '{.status.containerStatuses[?(@.name=="crasher")].restartCount}', (v) => Number(v) >= 2, 120_000);
  await jsonpathUntil(node, ['pod/neighbour'], '{.status.phase}', (v) => v === 'Succeeded');

  // The crasher is in back-off almost all the time; describe again if it was caught restarting.
  const described = await kubectlUntil(node, ['describe', 'pod', 'rich'], (r) => r.code === 0 && /Reason:\s+CrashLoopBackOff/.test(r.stdout), 60_000);
  const lines = described.stdout.split('\n');
  const head = lines.slice(0, expectedHead.length);
  for (let i = 0; i < expectedHead.length; i++) {
    assert.match(head[i] ?? '', new RegExp(`^${expectedHead[i]}$`), `line ${i + 1} of describe:\n${described.stdout}`);
  }

  await t.test('the Events table holds this pod\'s events only, with aggregated counts', () => {
    const table = lines.slice(expectedHead.length).filter((l) => l.trim() !== '');
    assert.match(table[0], /^ {2}Type\s+Reason\s+Age\s+From\s+Message$/);
    assert.match(table[1], /^ {2}----\s+------\s+----\s+----\s+-------$/);
    const rows = table.slice(2).map((l) => {
      const m = /^ {2}(Normal|Warning)\s+(\S+)\s+(\d+s(?: \(x\d+ over \d+s\))?)\s+(\S+)\s+(.*)$/.exec(l);
      assert.ok(m, `event row: ${l}`);
      return { type: m[1], reason: m[2], age: m[3], from: m[4], message: m[5] };
    });
    assert.deepEqual(rows[0], { ...rows[0], type: 'Normal', reason: 'Scheduled', from: 'default-scheduler' });
    assert.match(rows[0].message, /^Successfully assigned default\/rich to \S+$/);
    const messages = rows.map((r) => `${r.reason}: ${r.message}`);
    for (const c of ['setup', 'web', 'crasher']) {
      assert.ok(messages.includes(`Created: Created container: ${c}`), messages.join('\n'));
      assert.ok(messages.includes(`Started: Started container ${c}`), messages.join('\n'));
    }
    assert.ok(messages.every((m) => !m.includes('neighbour')), 'the neighbour pod\'s events must not appear');
    const started = rows.find((r) => r.message === 'Started container crasher')!;
    assert.match(started.age, /^\d+s \(x[3-9] over \d+s\)$/);
    const backoff = rows.find((r) => r.reason === 'BackOff')!;
    assert.equal(backoff.type, 'Warning');
    assert.match(backoff.message, /^Back-off restarting failed container crasher in pod rich_default\([0-9a-f-]{36}\)$/);
    assert.match(backoff.age, /\(x\d+ over \d+s\)$/);
  });

  await t.test('the involvedObject field selector is matched as a set, in any order', async () => {
    const uid = await node.k('get', 'pod', 'rich', '-o', 'jsonpath={.metadata.uid}');
    const terms = [`involvedObject.uid=${uid}`, 'involvedObject.name=rich', 'involvedObject.namespace=default'];
    const names = async (order: string[]) => {
      const r = await node.k('get', '--raw', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(order.join(','))}&limit=500`);
      return (JSON.parse(r).items as { metadata: { name: string }; involvedObject: { name: string } }[]).map((e) => `${e.involvedObject.name}/${e.metadata.name}`).sort();
    };
    const a = await names(terms);
    const b = await names([terms[2], terms[0], terms[1]]);
    assert.ok(a.length >= 10, `events of rich: ${a.length}`);
    assert.deepEqual(a, b);
    assert.ok(a.every((n) => n.startsWith('rich/')));
  });

  await t.test('describe asks protobuf first and gets JSON it can read', async () => {
    const r = await node.kubectl(['describe', 'pod', 'neighbour', '-v=8']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /Accept: application\/vnd\.kubernetes\.protobuf,application\/json/);
    assert.match(r.stdout, /^Name:\s+neighbour\n/);
    assert.match(r.stdout, /\nStatus:\s+Succeeded\n/);
    assert.match(r.stdout, /State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0\n/);
  });
});
