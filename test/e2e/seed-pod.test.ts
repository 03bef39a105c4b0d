/**
 * The walking skeleton's acceptance: the seed pod runs under the real kubectl
 * on the real containerd (issue 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthNode, repoRoot } from './harness.ts';

const example = join(repoRoot, 'examples/kubia-init.yaml');

test('kubia-init goes Pending → Init:0/2 → Init:1/2 → Running with the events and logs of a cluster', async (t) => {
  const node = await BerthNode.start(t);
  const pods = node.watch(['get', 'pods', '-w']);
  const events = node.watch(['get', 'events', '-w']);
  // An empty `get -w` prints nothing; give both watches time to connect.
  await sleep(1500);

  assert.match(await node.k('apply', '-f', example), /^pod\/kubia-init created$/m);
  await pods.waitFor(/^kubia-init\s+2\/2\s+Running\s+0\s/, 30_000);

  // STATUS column transitions, in order, and READY going 0/2 → 2/2.
  const rows = pods.lines.filter((l) => l.startsWith('kubia-init')).map((l) => l.split(/\s+/));
  const statuses = rows.map((r) => r[2]).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  const expected = ['Pending', 'Init:0/2', 'Init:1/2', 'PodInitializing', 'Running'];
  assert.deepEqual(
    statuses.filter((s) => s !== 'PodInitializing'),
    expected.filter((s) => s !== 'PodInitializing'),
    `status sequence: ${statuses.join(' → ')}`,
  );
  assert.ok(statuses.every((s) => expected.includes(s)), `unexpected status in ${statuses.join(' → ')}`);
  assert.equal(rows[0][1], '0/2');
  assert.equal(rows.at(-1)![1], '2/2');

  // Events, in order: Scheduled, then per container Pulled/Created/Started.
  const evOut = await node.k('get', 'events', '--sort-by=.metadata.creationTimestamp', '-o', 'custom-columns=REASON:.reason,PATH:.involvedObject.fieldPath,FROM:.source.component,MSG:.message', '--no-headers');
  const evRows = evOut.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const sequence = evRows.map((r) => `${r[0]} ${r[1]}`);
  const want = ['Scheduled <none>'];
  for (const c of ['spec.initContainers{init-demo}', 'spec.initContainers{network-check}', 'spec.containers{kubia}', 'spec.containers{envoy}']) {
    want.push(`Pulled ${c}`, `Created ${c}`, `Started ${c}`);
  }
  assert.deepEqual(sequence, want);
  assert.match(evOut, /Scheduled\s+<none>\s+default-scheduler\s+Successfully assigned default\/kubia-init to /);
  assert.match(evOut, /Pulled\s+spec.initContainers\{init-demo\}\s+kubelet\s+Container image "busybox:1.35" already present on machine/);
  assert.match(evOut, /Created\s+spec.containers\{kubia\}\s+kubelet\s+Created container: kubia/);
  assert.match(evOut, /Started\s+spec.containers\{envoy\}\s+kubelet\s+Started container envoy/);
  // The watch printed the same events as they happened.
  await events.waitFor(/Started\s+pod\/kubia-init\s+Started container envoy/);

  // Logs of completed init containers stay available.
  const check = await node.k('logs', 'kubia-init', '-c', 'network-check');
  assert.match(check, /network-check: gateway 10\.244\.0\.1 reachable, pod network is up/);
  const demo = await node.k('logs', 'kubia-init', '-c', 'init-demo');
  assert.deepEqual(demo.trim().split('\n').slice(1, 6), [1, 2, 3, 4, 5].map((i) => `init-demo: step ${i} of 5`));

  // Server-side printing for -o wide: a pod IP on berth's network, the node.
  const wide = await node.k('get', 'pod', 'kubia-init', '-o', 'wide', '--no-headers');
  assert.match(wide, /^kubia-init\s+2\/2\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+\S+\s+<none>\s+<none>/);

  // Conditions as Kubernetes fills them, in Kubernetes' order.
  const conds = JSON.parse(await node.k('get', 'pod', 'kubia-init', '-o', 'jsonpath={.status.conditions}'));
  assert.deepEqual(
    conds.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );

  // Re-applying the unchanged file is a no-op.
  assert.match(await node.k('apply', '-f', example), /^pod\/kubia-init unchanged$/m);

  // delete waits until the pod is gone.
  assert.match(await node.k('delete', 'pod', 'kubia-init'), /pod "kubia-init" deleted/);
  const gone = await node.kubectl(['get', 'pod', 'kubia-init']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /Error from server \(NotFound\): pods "kubia-init" not found/);
});

test('a request without the token gets 401 and kubectl says it must be logged in', async (t) => {
  const node = await BerthNode.start(t);
  const r = await node.kubectl(['--token', 'not-the-token', 'get', 'pods']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: You must be logged in to the server \(the server has asked for the client to provide credentials\)/);
  // The raw answer to a request without a token: 401 with an Unauthorized Status.
  const res = await node.rawRequest('/api/v1/namespaces/default/pods', { token: null });
  assert.equal(res.status, 401);
  assert.equal(JSON.parse(res.body).reason, 'Unauthorized');
  const ok = await node.rawRequest('/version');
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).minor, '33');
});
