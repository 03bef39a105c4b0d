import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from '../../registry/registry.ts';
import { controllerFixture, fixtureNodeName, type ControllerFixture } from '../controller-fixture.ts';
import { schedulerController } from '../scheduler/scheduler.ts';
import { statefulSetController } from './statefulset.ts';

const stsStore = (r: Registry) => r.resource('apps', 'v1', 'statefulsets')!;
const crStore = (r: Registry) => r.resource('apps', 'v1', 'controllerrevisions')!;
const pvcStore = (r: Registry) => r.resource('', 'v1', 'persistentvolumeclaims')!;

const room = { cpu: '4', memory: '8Gi', pods: '110' };

/** The node the scheduler binds pods to: a bound pod is deleted gracefully, as by a kubelet. */
function addNode(f: ControllerFixture): void {
  f.registry.nodes.create(undefined, {
    metadata: { name: fixtureNodeName, labels: { 'kubernetes.io/hostname': fixtureNodeName } },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: room, allocatable: room },
  } as any);
}

/** A StatefulSet `web` (the API server fills the rest: OrderedReady, RollingUpdate partition 0, replicas 1). */
function addSet(f: ControllerFixture, spec: Record<string, any> = {}, name = 'web'): any {
  return stsStore(f.registry).create('default', {
    metadata: { name },
    spec: {
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  });
}

function updateSet(f: ControllerFixture, change: (s: any) => void, name = 'web'): void {
  const s = structuredClone(stsStore(f.registry).get('default', name)) as any;
  change(s);
  stsStore(f.registry).update('default', name, s);
}

const podsOf = (f: ControllerFixture) => (f.registry.pods.list('default').items as any[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const names = (f: ControllerFixture) => podsOf(f).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
const setOf = (f: ControllerFixture, name = 'web') => stsStore(f.registry).get('default', name) as any;
const revisionsOf = (f: ControllerFixture) => (crStore(f.registry).list('default').items as any[]).sort((a, b) => a.revision - b.revision);
const claimsOf = (f: ControllerFixture) => (pvcStore(f.registry).list('default').items as any[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const eventsOf = (f: ControllerFixture, reason?: string) =>
  (f.registry.events.list('default').items as any[])
    .filter((e) => e.source?.component === 'statefulset-controller' && (!reason || e.reason === reason))
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));

function setPodStatus(f: ControllerFixture, name: string, status: Record<string, unknown>): void {
  const pod = f.registry.pods.get('default', name);
  f.registry.pods.update('default', name, { ...pod, status: { ...pod.status, ...status } }, { subresource: 'status' });
}

/** What the kubelet would report for a started, ready pod. */
async function ready(f: ControllerFixture, ...podNames: string[]): Promise<void> {
  for (const n of podNames) {
    setPodStatus(f, n, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') }] });
  }
  await f.clock.settle();
}

/** Pods the kubelet would finish deleting: those with a deletionTimestamp go. */
async function finishDeletions(f: ControllerFixture): Promise<void> {
  for (const p of podsOf(f)) if (p.metadata.deletionTimestamp) f.registry.pods.delete('default', p.metadata.name, { gracePeriodSeconds: 0 });
  await f.clock.settle();
}

const controllers = [schedulerController, statefulSetController];

test('statefulset controller creates web-0 with its identity, and web-1 only once web-0 is Running and Ready', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  const set = addSet(f, { replicas: 2 });
  await f.run(controllers);
  assert.deepEqual(names(f), ['web-0']);
  const pod = podsOf(f)[0];
  const [rev] = revisionsOf(f);
  assert.deepEqual(pod.metadata.labels, {
    app: 'web',
    'statefulset.kubernetes.io/pod-name': 'web-0',
    'apps.kubernetes.io/pod-index': '0',
    'controller-revision-hash': rev.metadata.name,
  });
  assert.equal(pod.metadata.generateName, 'web-');
  assert.equal(pod.spec.hostname, 'web-0');
  assert.equal(pod.spec.subdomain, 'web');
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.match(rev.metadata.name, /^web-[a-z0-9]+$/);
  assert.equal(rev.revision, 1);

  // Running but not Ready is not enough.
  setPodStatus(f, 'web-0', { phase: 'Running' });
  await f.clock.settle();
  assert.deepEqual(names(f), ['web-0']);
  await ready(f, 'web-0');
  assert.deepEqual(names(f), ['web-0', 'web-1']);
  await ready(f, 'web-1');
  const s = setOf(f).status;
  assert.equal(s.replicas, 2);
  assert.equal(s.readyReplicas, 2);
  assert.equal(s.availableReplicas, 2);
  assert.equal(s.currentReplicas, 2);
  assert.equal(s.updatedReplicas, 2);
  assert.equal(s.currentRevision, rev.metadata.name);
  assert.equal(s.updateRevision, rev.metadata.name);
  assert.equal(s.observedGeneration, 1);
  assert.equal(s.collisionCount, 0);
  assert.deepEqual(
    eventsOf(f).map((e) => [e.type, e.reason, e.message, e.involvedObject.kind]),
    [
      ['Normal', 'SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful', 'StatefulSet'],
      ['Normal', 'SuccessfulCreate', 'create Pod web-1 in StatefulSet web successful', 'StatefulSet'],
    ],
  );
  assert.deepEqual(f.logs, []);
});

test('statefulset controller scales down in reverse ordinal order, one pod at a time, waiting for each to go', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 3 });
  await f.run(controllers);
  await ready(f, 'web-0');
  await ready(f, 'web-1');
  await ready(f, 'web-2');
  updateSet(f, (s) => (s.spec.replicas = 1));
  await f.clock.settle();
  assert.deepEqual(names(f), ['web-0', 'web-1'], 'web-2 goes first');
  assert.equal(podsOf(f).length, 3, 'web-2 is terminating; web-1 waits for it');
  await finishDeletions(f);
  assert.deepEqual(names(f), ['web-0']);
  await finishDeletions(f);
  assert.deepEqual(names(f), ['web-0']);
  assert.equal(setOf(f).status.replicas, 1);
  assert.deepEqual(
    eventsOf(f, 'SuccessfulDelete').map((e) => e.message),
    ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful'],
  );
});

test('statefulset controller with Parallel creates and deletes all pods at once', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 3, podManagementPolicy: 'Parallel' });
  await f.run(controllers);
  assert.deepEqual(names(f), ['web-0', 'web-1', 'web-2']);
  updateSet(f, (s) => (s.spec.replicas = 0));
  await f.clock.settle();
  await finishDeletions(f);
  assert.deepEqual(names(f), []);
  // Zero counts that StatefulSetStatus encodes with omitempty are left out.
  assert.deepEqual(Object.keys(setOf(f).status).sort(), ['availableReplicas', 'collisionCount', 'currentRevision', 'observedGeneration', 'replicas', 'updateRevision']);
});

test('statefulset controller starts ordinals at spec.ordinals.start', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 2, ordinals: { start: 5 } });
  await f.run(controllers);
  assert.deepEqual(names(f), ['web-5']);
  await ready(f, 'web-5');
  assert.deepEqual(names(f), ['web-5', 'web-6']);
  assert.equal(podsOf(f)[1].metadata.labels['apps.kubernetes.io/pod-index'], '6');
});

const dataClaim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

test('statefulset controller creates a claim <claim>-<set>-<ordinal> per template before the pod and mounts it', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, {
    replicas: 2,
    volumeClaimTemplates: [dataClaim],
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
  });
  await f.run(controllers);
  await ready(f, 'web-0');
  const claims = claimsOf(f);
  assert.deepEqual(
    claims.map((c) => [c.metadata.name, c.metadata.labels, c.spec.resources.requests.storage, c.metadata.ownerReferences]),
    [
      ['data-web-0', { app: 'web' }, '1Gi', undefined],
      ['data-web-1', { app: 'web' }, '1Gi', undefined],
    ],
  );
  assert.deepEqual(podsOf(f)[0].spec.volumes.filter((v: any) => v.name === 'data'), [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
  assert.deepEqual(
    eventsOf(f).map((e) => e.message),
    [
      'create Claim data-web-0 Pod web-0 in StatefulSet web success',
      'create Pod web-0 in StatefulSet web successful',
      'create Claim data-web-1 Pod web-1 in StatefulSet web success',
      'create Pod web-1 in StatefulSet web successful',
    ],
  );
  // Scaled down, the claims stay (whenScaled Retain).
  updateSet(f, (s) => (s.spec.replicas = 0));
  await f.clock.settle();
  await finishDeletions(f);
  await finishDeletions(f);
  assert.deepEqual(names(f), []);
  assert.equal(claimsOf(f).length, 2);
});

test('statefulset controller sets claim owner references for the retention policy: the set on whenDeleted Delete, the pod once scaled away on whenScaled Delete', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  const set = addSet(f, { replicas: 2, volumeClaimTemplates: [dataClaim], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
  await f.run(controllers);
  await ready(f, 'web-0');
  await ready(f, 'web-1');
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true };
  assert.deepEqual(
    claimsOf(f).map((c) => [c.metadata.name, c.metadata.ownerReferences]),
    [
      ['data-web-0', [setRef]],
      ['data-web-1', [setRef]],
    ],
  );
  const web1 = podsOf(f)[1];
  updateSet(f, (s) => (s.spec.replicas = 1));
  await f.clock.settle();
  const claim1 = claimsOf(f)[1];
  assert.deepEqual(claim1.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: web1.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(claimsOf(f)[0].metadata.ownerReferences, [setRef]);
  assert.deepEqual(names(f), ['web-0']);
});

test('statefulset controller with the default Retain policy puts no owner reference on claims', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { volumeClaimTemplates: [dataClaim] });
  await f.run(controllers);
  await ready(f, 'web-0');
  assert.equal(claimsOf(f)[0].metadata.ownerReferences, undefined);
});

test('statefulset controller rolls a template change out in reverse ordinal order, above the partition only', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
  await f.run(controllers);
  await ready(f, 'web-0');
  await ready(f, 'web-1');
  await ready(f, 'web-2');
  const [rev1] = revisionsOf(f);
  updateSet(f, (s) => (s.spec.template.spec.containers[0].image = 'nginx:1.28'));
  await f.clock.settle();
  const revs = revisionsOf(f);
  assert.equal(revs.length, 2);
  const rev2 = revs[1];
  assert.equal(rev2.revision, 2);
  assert.equal(setOf(f).status.updateRevision, rev2.metadata.name);
  assert.equal(setOf(f).status.currentRevision, rev1.metadata.name);
  assert.deepEqual(names(f), ['web-0', 'web-1'], 'web-2 is deleted first');
  await finishDeletions(f);
  const web2 = podsOf(f).find((p) => p.metadata.name === 'web-2');
  assert.equal(web2.spec.containers[0].image, 'nginx:1.28');
  assert.equal(web2.metadata.labels['controller-revision-hash'], rev2.metadata.name);
  assert.deepEqual(names(f), ['web-0', 'web-1', 'web-2'], 'web-1 waits for web-2 to be ready');
  await ready(f, 'web-2');
  assert.deepEqual(names(f), ['web-0', 'web-2']);
  await finishDeletions(f);
  await ready(f, 'web-1');
  const pods = podsOf(f);
  assert.deepEqual(
    pods.map((p) => [p.metadata.name, p.spec.containers[0].image]),
    [
      ['web-0', 'nginx:1.27'],
      ['web-1', 'nginx:1.28'],
      ['web-2', 'nginx:1.28'],
    ],
  );
  const s = setOf(f).status;
  assert.equal(s.updatedReplicas, 2);
  assert.equal(s.currentReplicas, 1);
  assert.equal(s.currentRevision, rev1.metadata.name, 'the partition keeps the rollout incomplete');

  // Partition 0 finishes it: web-0 goes, and the update revision becomes current.
  updateSet(f, (s) => (s.spec.updateStrategy.rollingUpdate.partition = 0));
  await f.clock.settle();
  assert.deepEqual(names(f), ['web-1', 'web-2']);
  await finishDeletions(f);
  await ready(f, 'web-0');
  const done = setOf(f).status;
  assert.equal(done.currentRevision, rev2.metadata.name);
  assert.equal(done.updateRevision, rev2.metadata.name);
  assert.equal(done.currentReplicas, 3);
  assert.equal(done.updatedReplicas, 3);
});

test('statefulset controller with OnDelete leaves old pods until they are deleted, then recreates them at the update revision', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 2, updateStrategy: { type: 'OnDelete' } });
  await f.run(controllers);
  await ready(f, 'web-0');
  await ready(f, 'web-1');
  updateSet(f, (s) => (s.spec.template.spec.containers[0].image = 'nginx:1.28'));
  await f.clock.settle();
  assert.deepEqual(names(f), ['web-0', 'web-1']);
  assert.ok(podsOf(f).every((p) => p.spec.containers[0].image === 'nginx:1.27'));
  f.registry.pods.delete('default', 'web-1', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  const web1 = podsOf(f).find((p) => p.metadata.name === 'web-1');
  assert.equal(web1.spec.containers[0].image, 'nginx:1.28');
  assert.equal(podsOf(f)[0].spec.containers[0].image, 'nginx:1.27');
});

test('statefulset controller rolls back to an earlier revision by renumbering it, and keeps revisionHistoryLimit', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 1, revisionHistoryLimit: 1 });
  await f.run(controllers);
  await ready(f, 'web-0');
  const image = async (img: string) => {
    updateSet(f, (s) => (s.spec.template.spec.containers[0].image = img));
    await f.clock.settle();
    await finishDeletions(f);
    await ready(f, 'web-0');
  };
  const [first] = revisionsOf(f);
  await image('nginx:1.28');
  await image('nginx:1.27');
  const revs = revisionsOf(f);
  assert.deepEqual(
    revs.map((r) => [r.metadata.name, r.revision]),
    [
      [revs[0].metadata.name, 2],
      [first.metadata.name, 3],
    ],
  );
  await image('nginx:1.29');
  assert.equal(revisionsOf(f).length, 2, 'the live revision and one of history');
  assert.equal(podsOf(f)[0].spec.containers[0].image, 'nginx:1.29');
});

test('statefulset controller recreates a Failed pod under the same name', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 1 });
  await f.run(controllers);
  const uid = podsOf(f)[0].metadata.uid;
  setPodStatus(f, 'web-0', { phase: 'Failed' });
  await f.clock.settle();
  await finishDeletions(f);
  const pods = podsOf(f);
  assert.deepEqual(names(f), ['web-0']);
  assert.notEqual(pods[0].metadata.uid, uid);
  assert.deepEqual(
    eventsOf(f).map((e) => [e.message, e.count]),
    [
      ['delete Pod web-0 in StatefulSet web successful', 1],
      ['create Pod web-0 in StatefulSet web successful', 2],
    ],
  );
});

test('statefulset controller restarted finds its pods by name and creates none twice', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { replicas: 2, volumeClaimTemplates: [dataClaim] });
  const first = await f.run(controllers);
  await ready(f, 'web-0');
  await ready(f, 'web-1');
  first.stop();
  const before = podsOf(f).map((p) => p.metadata.uid);
  await f.run(controllers);
  assert.deepEqual(podsOf(f).map((p) => p.metadata.uid), before);
  assert.equal(revisionsOf(f).length, 1);
  assert.equal(claimsOf(f).length, 2);
  assert.equal(eventsOf(f, 'SuccessfulCreate').length, 4);
  assert.equal(setOf(f).status.readyReplicas, 2);
});

test('statefulset controller adopts an orphan pod of its name and ignores one of another name', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', { metadata: { name: 'web-0', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } as any);
  f.registry.pods.create('default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } as any);
  const set = addSet(f, { replicas: 1 });
  await f.run(controllers);
  const pods = podsOf(f);
  const web0 = pods.find((p) => p.metadata.name === 'web-0');
  assert.equal(web0.metadata.ownerReferences[0].uid, set.metadata.uid);
  assert.equal(pods.find((p) => p.metadata.name === 'stray').metadata.ownerReferences, undefined);
  // Adopted without identity labels: the controller writes them when the pod is ready.
  await ready(f, 'web-0');
  assert.equal(podsOf(f).find((p) => p.metadata.name === 'web-0').metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
});

test('statefulset controller records FailedCreate when the API refuses the pod (the template PodSpec is not validated on the set)', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  addSet(f, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'Bad_Name', image: 'nginx:1.27' }] } } });
  await f.run(controllers);
  assert.deepEqual(names(f), []);
  const [failed] = eventsOf(f, 'FailedCreate');
  assert.equal(failed.type, 'Warning');
  assert.match(failed.message, /^create Pod web-0 in StatefulSet web failed error: Pod "web-0" is invalid: spec\.containers\[0\]\.name: Invalid value: "Bad_Name": /);
});
