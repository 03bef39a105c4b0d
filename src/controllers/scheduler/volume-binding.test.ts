import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { controllerFixture, fixtureNodeName, type ControllerFixture } from '../controller-fixture.ts';
import { persistentVolumeController } from '../persistentvolume/persistentvolume.ts';
import { schedulerController } from './scheduler.ts';
import { volumeBindingPreFilter } from './volume-binding.ts';

const allocatable = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110' };

function addNode(f: ControllerFixture) {
  f.registry.nodes.create(undefined, {
    metadata: { name: fixtureNodeName, labels: { 'kubernetes.io/hostname': fixtureNodeName } },
    status: { capacity: allocatable, allocatable },
  });
}

const podUsing = (name: string, claimName: string) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
});

const claim = (name: string, storageClassName?: string): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
});

const lastFailure = (f: ControllerFixture, name: string) =>
  f.registry.events
    .list('default')
    .items.filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === name)
    .map((e) => e.message)
    .at(-1);

test('volumeBindingPreFilter refuses missing, deleting, foreign and unbound Immediate claims and passes WaitForFirstConsumer ones', () => {
  const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
  const wffc = (n: string) => (n === 'standard' ? { metadata: { name: n }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' } : undefined);
  assert.equal(volumeBindingPreFilter(pod, () => undefined, wffc), 'persistentvolumeclaim "data" not found');
  assert.equal(
    volumeBindingPreFilter(pod, () => ({ metadata: { name: 'data', deletionTimestamp: '2026-01-01T00:00:00Z' } }), wffc),
    'persistentvolumeclaim "data" is being deleted',
  );
  assert.equal(volumeBindingPreFilter(pod, () => claim('data', 'manual'), wffc), 'pod has unbound immediate PersistentVolumeClaims');
  assert.equal(volumeBindingPreFilter(pod, () => claim('data', 'standard'), wffc), undefined);
  assert.equal(volumeBindingPreFilter(pod, () => ({ ...claim('data', 'manual'), spec: { volumeName: 'pv' } }), wffc), undefined);
  const eph = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [], volumes: [{ name: 'scratch', ephemeral: {} }] } };
  assert.equal(
    volumeBindingPreFilter(eph, () => ({ metadata: { name: 'p-scratch', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'other', controller: true }] } }), wffc),
    'PVC default/p-scratch was not created for pod default/p (pod is not owner)',
  );
});

test('scheduler keeps a pod whose claim is missing Pending, and schedules it once the WaitForFirstConsumer claim exists; the claim then binds', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.registry.pods.create('default', podUsing('web', 'data'));
  await f.run([schedulerController, persistentVolumeController]);
  assert.equal(f.registry.pods.get('default', 'web').spec?.nodeName, undefined);
  assert.equal(
    lastFailure(f, 'web'),
    '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
  );
  f.client.resource('persistentvolumeclaims').create('default', claim('data'));
  await f.clock.advance(2_000);
  assert.equal(f.registry.pods.get('default', 'web').spec?.nodeName, fixtureNodeName);
  const c = f.client.resource('persistentvolumeclaims').get('default', 'data')!;
  assert.equal(c.metadata?.annotations?.['volume.kubernetes.io/selected-node'], fixtureNodeName);
});

test('scheduler waits for an Immediate claim to bind before it schedules the pod', async (t) => {
  const f = controllerFixture(t);
  addNode(f);
  f.client.resource('persistentvolumeclaims').create('default', claim('data', 'manual'));
  f.registry.pods.create('default', podUsing('web', 'data'));
  await f.run([schedulerController, persistentVolumeController]);
  assert.equal(f.registry.pods.get('default', 'web').spec?.nodeName, undefined);
  assert.match(lastFailure(f, 'web') ?? '', /^0\/1 nodes are available: pod has unbound immediate PersistentVolumeClaims\. preemption: /);
  f.client.resource('persistentvolumes').create(undefined, {
    metadata: { name: 'pv' },
    spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/pv' }, storageClassName: 'manual' },
  });
  await f.clock.advance(16_000);
  assert.equal(f.client.resource('persistentvolumeclaims').get('default', 'data')?.status?.phase, 'Bound', 'the binder resyncs unbound claims every 15 s');
  assert.deepEqual(f.logs, []);
  assert.equal(f.registry.pods.get('default', 'web').spec?.nodeName, fixtureNodeName);
});
