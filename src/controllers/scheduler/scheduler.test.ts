import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/api.ts';
import { controllerFixture, fixtureNodeName, type ControllerFixture } from '../controller-fixture.ts';
import { schedulerController } from './scheduler.ts';

type Spec = Record<string, unknown>;
const pod = (name: string, spec: Spec = {}, requests?: Record<string, string>) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35', ...(requests ? { resources: { requests } } : {}) }], ...spec },
});

const allocatable = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110' };

function addNode(f: ControllerFixture, opts: { labels?: Record<string, string>; spec?: Spec; allocatable?: Record<string, string> } = {}) {
  f.registry.nodes.create(undefined, {
    metadata: { name: fixtureNodeName, labels: { 'kubernetes.io/hostname': fixtureNodeName, 'kubernetes.io/os': 'linux', ...opts.labels } },
    spec: { ...opts.spec },
    status: { capacity: { ...allocatable, ...opts.allocatable }, allocatable: { ...allocatable, ...opts.allocatable } },
  });
}

const noVictims = 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
const notHelpful = 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

const scheduled = (f: ControllerFixture, name: string, ns = 'default') => f.registry.pods.get(ns, name).spec?.nodeName;
const condition = (f: ControllerFixture, name: string) => f.registry.pods.get('default', name).status?.conditions?.find((c) => c.type === 'PodScheduled');
const failedEvents = (f: ControllerFixture, name: string) =>
  f.registry.events.list('default').items.filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === name);

/** The pod stays Pending with PodScheduled=False/Unschedulable `message` and one FailedScheduling event saying it. */
function assertUnschedulable(f: ControllerFixture, name: string, message: string) {
  const p = f.registry.pods.get('default', name);
  assert.equal(p.spec?.nodeName, undefined);
  assert.equal(p.status?.phase, 'Pending');
  const c = condition(f, name);
  assert.deepEqual(
    { type: c?.type, status: c?.status, reason: c?.reason, message: c?.message, lastProbeTime: c?.lastProbeTime },
    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null },
  );
  const events = failedEvents(f, name);
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'Warning');
  assert.equal(events[0].message, message);
  assert.deepEqual(events[0].source, { component: 'default-scheduler' });
  assert.equal(events[0].involvedObject.uid, p.metadata.uid);
}

test('scheduler binds a new pod to the node with PodScheduled and records Scheduled from default-scheduler', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('web'));
  await f.clock.settle();
  const bound = f.registry.pods.get('default', 'web');
  assert.equal(bound.spec?.nodeName, fixtureNodeName);
  assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  const events = f.registry.events.list('default').items;
  assert.equal(events.length, 1);
  assert.equal(events[0].reason, 'Scheduled');
  assert.equal(events[0].type, 'Normal');
  assert.equal(events[0].message, `Successfully assigned default/web to ${fixtureNodeName}`);
  assert.deepEqual(events[0].source, { component: 'default-scheduler' });
  assert.equal(events[0].involvedObject.uid, bound.metadata.uid);
});

test('scheduler leaves pods for another scheduler, bound pods, gated pods and pods being deleted alone', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', { ...pod('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  f.registry.pods.delete('default', 'held');
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('other', { schedulerName: 'my-scheduler' }));
  f.registry.pods.create('default', pod('pinned', { nodeName: 'elsewhere' }));
  f.registry.pods.create('default', pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
  await f.clock.settle();
  assert.equal(scheduled(f, 'other'), undefined);
  assert.equal(scheduled(f, 'pinned'), 'elsewhere');
  assert.equal(scheduled(f, 'held'), undefined);
  assert.equal(scheduled(f, 'gated'), undefined);
  assert.equal(f.registry.events.list('default').items.length, 0);
});

test('scheduler binds at start the pods created while it was stopped', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  const first = await f.run([schedulerController]);
  first.stop();
  f.registry.pods.create('default', pod('early'));
  f.registry.pods.create('kube-system', pod('also'));
  await f.clock.settle();
  assert.equal(scheduled(f, 'early'), undefined);
  await f.run([schedulerController]);
  assert.equal(scheduled(f, 'early'), fixtureNodeName);
  assert.equal(scheduled(f, 'also', 'kube-system'), fixtureNodeName);
});

test('scheduler keeps a pod asking more cpu than allocatable Pending and binds it once a big pod is deleted', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('huge', {}, { cpu: '1000' }));
  await f.clock.settle();
  assertUnschedulable(f, 'huge', `0/1 nodes are available: 1 Insufficient cpu. ${noVictims}`);

  f.registry.pods.create('default', pod('big', {}, { cpu: '1500m' }));
  await f.clock.settle();
  assert.equal(scheduled(f, 'big'), fixtureNodeName);
  f.registry.pods.create('default', pod('second', {}, { cpu: '1' }));
  await f.clock.settle();
  assertUnschedulable(f, 'second', `0/1 nodes are available: 1 Insufficient cpu. ${noVictims}`);

  // A pod being deleted still holds its cpu until it is gone.
  f.registry.pods.delete('default', 'big');
  await f.clock.advance(15_000);
  assert.equal(scheduled(f, 'second'), undefined);
  f.registry.pods.delete('default', 'big', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  // The deletion moves it; it binds once its 1 s backoff has passed, not at the 5-minute flush.
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'second'), fixtureNodeName);
  assert.equal(scheduled(f, 'huge'), undefined);
});

test('scheduler counts a bound pod that finished as gone, and binds the waiting pod', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', pod('job', { nodeName: fixtureNodeName }, { cpu: '2' }));
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('next', {}, { cpu: '1' }));
  await f.clock.settle();
  assert.equal(scheduled(f, 'next'), undefined);
  const job = f.registry.pods.get('default', 'job');
  f.registry.pods.update('default', 'job', { ...job, status: { ...job.status, phase: 'Succeeded' } }, { subresource: 'status' });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'next'), fixtureNodeName);
});

test('scheduler says Too many pods for the 111th pod', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  for (let i = 0; i < 110; i++) f.registry.pods.create('default', pod(`p${i}`, { nodeName: fixtureNodeName }));
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('one-more'));
  await f.clock.settle();
  assertUnschedulable(f, 'one-more', `0/1 nodes are available: 1 Too many pods. ${noVictims}`);
});

test('scheduler lists several reasons of one node sorted, with their counts', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  const greedy = pod('greedy', {}, { cpu: '3', memory: '5Gi', 'ephemeral-storage': '11Gi', 'example.com/gpu': '1' });
  (greedy.spec.containers[0] as any).resources.limits = { 'example.com/gpu': '1' };
  f.registry.pods.create('default', greedy);
  await f.clock.settle();
  assertUnschedulable(
    f,
    'greedy',
    `0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient ephemeral-storage, 1 Insufficient example.com/gpu, 1 Insufficient memory. ${noVictims}`,
  );
});

test('scheduler reports a nodeSelector or required affinity that matches nothing, and binds when the node gets the label', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('picky', { nodeSelector: { disk: 'ssd' } }));
  const term = (key: string, operator: string, values?: string[]) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }] });
  f.registry.pods.create('default', pod('affine', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('zone', 'In', ['a']) } } }));
  f.registry.pods.create('default', pod('fine', { nodeSelector: { 'kubernetes.io/os': 'linux' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('zone', 'DoesNotExist') } } }));
  await f.clock.settle();
  const message = `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${notHelpful}`;
  assertUnschedulable(f, 'picky', message);
  assertUnschedulable(f, 'affine', message);
  assert.equal(scheduled(f, 'fine'), fixtureNodeName);

  const node = f.registry.nodes.get(undefined, fixtureNodeName);
  f.registry.nodes.update(undefined, fixtureNodeName, { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } } });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'picky'), fixtureNodeName);
  assert.equal(scheduled(f, 'affine'), undefined);
});

test('scheduler reports affinity pinned by metadata.name to another node', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  const pinned = (values: string[][]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: values.map((v) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: v }] })) } } },
  });
  f.registry.pods.create('default', pod('there', pinned([['other-node']])));
  f.registry.pods.create('default', pod('here', pinned([['other-node'], [fixtureNodeName]])));
  await f.clock.settle();
  assertUnschedulable(f, 'there', `0/1 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. ${notHelpful}`);
  assert.equal(scheduled(f, 'here'), fixtureNodeName);
});

test('scheduler refuses an untolerated NoSchedule or NoExecute taint, not a tolerated one or PreferNoSchedule', async (t) => {
  const f = controllerFixture(t);
  addNode(f, {
    spec: {
      taints: [
        { key: 'soft', effect: 'PreferNoSchedule' },
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'evict', effect: 'NoExecute' },
      ],
    },
  });
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('plain'));
  f.registry.pods.create('default', pod('half', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
  f.registry.pods.create('default', pod('wrong-value', { tolerations: [{ key: 'dedicated', value: 'cpu' }, { key: 'evict', operator: 'Exists' }] }));
  f.registry.pods.create('default', pod('all', { tolerations: [{ operator: 'Exists' }] }));
  await f.clock.settle();
  assertUnschedulable(f, 'plain', `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${notHelpful}`);
  assertUnschedulable(f, 'half', `0/1 nodes are available: 1 node(s) had untolerated taint {evict: }. ${notHelpful}`);
  assertUnschedulable(f, 'wrong-value', `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${notHelpful}`);
  assert.equal(scheduled(f, 'all'), fixtureNodeName);

  const node = f.registry.nodes.get(undefined, fixtureNodeName);
  f.registry.nodes.update(undefined, fixtureNodeName, { ...node, spec: { ...node.spec, taints: [{ key: 'evict', effect: 'NoExecute' }] } });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'half'), undefined);
  assert.equal(scheduled(f, 'wrong-value'), fixtureNodeName);
});

test('scheduler refuses a cordoned node except to pods tolerating the unschedulable taint, and binds once uncordoned', async (t) => {
  const f = controllerFixture(t);
  addNode(f, { spec: { unschedulable: true } });
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('waits'));
  f.registry.pods.create('default', pod('tolerates', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }));
  await f.clock.settle();
  assertUnschedulable(f, 'waits', `0/1 nodes are available: 1 node(s) were unschedulable. ${notHelpful}`);
  assert.equal(scheduled(f, 'tolerates'), fixtureNodeName);
  const node = f.registry.nodes.get(undefined, fixtureNodeName);
  f.registry.nodes.update(undefined, fixtureNodeName, { ...node, spec: { ...node.spec, unschedulable: false } });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'waits'), fixtureNodeName);
});

test('scheduler refuses a host port already taken on the node, and binds when its holder goes', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  const withPort = (name: string, port: Record<string, unknown>, spec: Spec = {}) => ({
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, ...port }] }], ...spec },
  });
  f.registry.pods.create('default', withPort('holder', { hostPort: 8080 }, { nodeName: fixtureNodeName }));
  await f.run([schedulerController]);
  f.registry.pods.create('default', withPort('same', { hostPort: 8080, hostIP: '127.0.0.1' }));
  f.registry.pods.create('default', withPort('udp', { hostPort: 8080, protocol: 'UDP' }));
  f.registry.pods.create('default', withPort('other-port', { hostPort: 8081 }));
  await f.clock.settle();
  assertUnschedulable(f, 'same', `0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. ${noVictims}`);
  assert.equal(scheduled(f, 'udp'), fixtureNodeName);
  assert.equal(scheduled(f, 'other-port'), fixtureNodeName);
  f.registry.pods.delete('default', 'holder', { gracePeriodSeconds: 0 });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'same'), fixtureNodeName);
});

test('scheduler counts init containers and sidecars as upstream: sidecars add to the containers, init containers run beside earlier sidecars', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  const c = (name: string, cpu: string, restartPolicy?: string) => ({ name, image: 'x', resources: { requests: { cpu } }, ...(restartPolicy ? { restartPolicy } : {}) });
  // 1 (sidecar) + 1.5 (app) = 2.5 > 2.
  f.registry.pods.create('default', { metadata: { name: 'sidecar' }, spec: { initContainers: [c('s', '1', 'Always')], containers: [c('a', '1500m')] } });
  // max(0.5 + 1.5 init, 0.5 + 1 app) = 2: fits exactly.
  f.registry.pods.create('default', { metadata: { name: 'init' }, spec: { initContainers: [c('s', '500m', 'Always'), c('i', '1500m')], containers: [c('a', '1')] } });
  await f.clock.settle();
  assertUnschedulable(f, 'sidecar', `0/1 nodes are available: 1 Insufficient cpu. ${noVictims}`);
  assert.equal(scheduled(f, 'init'), fixtureNodeName);
});

test('scheduler words the preemption dry run: lower-priority pods that would not make room, and preemptionPolicy Never', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', pod('low', { nodeName: fixtureNodeName, priority: 0 }, { cpu: '1' }));
  f.registry.pods.create('default', pod('high', { nodeName: fixtureNodeName, priority: 1000 }, { cpu: '1' }));
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('mid', { priority: 500 }, { cpu: '1500m' }));
  f.registry.pods.create('default', pod('never', { priority: 500, preemptionPolicy: 'Never' }, { cpu: '1' }));
  await f.clock.settle();
  assertUnschedulable(f, 'mid', '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
  assertUnschedulable(f, 'never', '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  // Preemption itself is not implemented: a pod that would fit by evicting `low` stays Pending.
  f.registry.pods.create('default', pod('would-preempt', { priority: 500 }, { cpu: '1' }));
  await f.clock.settle();
  assert.equal(condition(f, 'would-preempt')?.message, '0/1 nodes are available: 1 Insufficient cpu.');
  assert.equal(scheduled(f, 'low'), fixtureNodeName);
});

test('scheduler waits for a node when there is none, and binds when the node registers', async (t) => {
  const f = controllerFixture(t);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('early'));
  await f.clock.settle();
  assertUnschedulable(f, 'early', 'no nodes available to schedule pods');
  addNode(f);
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'early'), fixtureNodeName);
});

test('scheduler retries a pod nothing moves only at the 5-minute flush, with one event counting the failures', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('huge', {}, { cpu: '1000' }));
  await f.clock.settle();
  const first = condition(f, 'huge');
  // A heartbeat-like node update that changes nothing the pod failed on does not move it.
  const node = f.registry.nodes.get(undefined, fixtureNodeName);
  f.registry.nodes.update(undefined, fixtureNodeName, { ...node, metadata: { ...node.metadata, annotations: { beat: '1' } } });
  await f.clock.advance(4 * 60_000);
  assert.equal(failedEvents(f, 'huge')[0].count, 1);
  await f.clock.advance(90_000);
  const events = failedEvents(f, 'huge');
  assert.equal(events.length, 1);
  assert.equal(events[0].count, 2);
  // The condition is unchanged, so not rewritten.
  assert.deepEqual(condition(f, 'huge'), first);
});

test('scheduler binds a pod whose own spec change makes it fit (tolerations added)', async (t) => {
  const f = controllerFixture(t);
  addNode(f, { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } });
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('p'));
  await f.clock.settle();
  assert.equal(scheduled(f, 'p'), undefined);
  const p = f.registry.pods.get('default', 'p') as Pod;
  f.registry.pods.update('default', 'p', { ...p, spec: { ...p.spec!, tolerations: [...(p.spec?.tolerations ?? []), { key: 'k', operator: 'Exists' }] } });
  await f.clock.advance(1000);
  assert.equal(scheduled(f, 'p'), fixtureNodeName);
});

test('scheduler does not give the last room to two pods created together', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('a', {}, { cpu: '1500m' }));
  f.registry.pods.create('default', pod('b', {}, { cpu: '1500m' }));
  await f.clock.settle();
  assert.deepEqual([scheduled(f, 'a'), scheduled(f, 'b')].filter(Boolean).length, 1);
});

test('scheduler still refuses a cordoned, tainted, labelled node after the kubelet heartbeat rewrites it', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  const node = f.registry.nodes.get(undefined, fixtureNodeName);
  f.registry.nodes.update(undefined, fixtureNodeName, {
    ...node,
    metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } },
    spec: { ...node.spec, unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] },
  });
  // The heartbeat: the kubelet's own node object, with its labels only.
  f.client.nodes.upsert({
    metadata: { name: fixtureNodeName, labels: { 'kubernetes.io/hostname': fixtureNodeName } },
    spec: { podCIDR: '10.244.0.0/16' },
    status: { capacity: allocatable, allocatable },
  });
  const after = f.registry.nodes.get(undefined, fixtureNodeName);
  assert.equal(after.metadata.labels?.disk, 'ssd');
  assert.equal(after.spec?.podCIDR, '10.244.0.0/16');
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('p', { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'k', operator: 'Exists' }] }));
  await f.clock.settle();
  assertUnschedulable(f, 'p', `0/1 nodes are available: 1 node(s) were unschedulable. ${notHelpful}`);
});

test('scheduler retries a moved pod only after its backoff: 1 s after the first failure, doubling per attempt', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', pod('big', { nodeName: fixtureNodeName }, { cpu: '2' }));
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('next', {}, { cpu: '1' }));
  await f.clock.settle();
  // A move right after the first failure waits out the 1 s backoff.
  f.registry.pods.create('default', pod('other', { nodeName: fixtureNodeName }));
  f.registry.pods.delete('default', 'other', { gracePeriodSeconds: 0 });
  await f.clock.advance(999);
  assert.equal(failedEvents(f, 'next')[0].count, 1);
  await f.clock.advance(1);
  assert.equal(failedEvents(f, 'next')[0].count, 2);
  // Second failure: the next move waits 2 s.
  f.registry.pods.delete('default', 'big', { gracePeriodSeconds: 0 });
  await f.clock.advance(1999);
  assert.equal(scheduled(f, 'next'), undefined);
  await f.clock.advance(1);
  assert.equal(scheduled(f, 'next'), fixtureNodeName);
});
