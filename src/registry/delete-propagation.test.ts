import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRegistry } from './registry-fixture.ts';

const scheduledPod = (name: string) => ({
  metadata: { name },
  spec: { nodeName: 'node1', terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox:1.35' }] },
});

test('a Background delete (and the default) removes a ConfigMap at once', (t) => {
  const { registry } = memoryRegistry(t);
  registry.configmaps.create('default', { metadata: { name: 'a' } });
  registry.configmaps.create('default', { metadata: { name: 'b' } });
  assert.equal(registry.configmaps.delete('default', 'a', { propagationPolicy: 'Background' }).deleted, true);
  assert.equal(registry.configmaps.delete('default', 'b').deleted, true);
  assert.equal(registry.configmaps.find('default', 'a'), undefined);
  assert.equal(registry.configmaps.find('default', 'b'), undefined);
});

test('an Orphan delete keeps the object with the orphan finalizer and grace 0 until the finalizer is removed', (t) => {
  const { registry, clock } = memoryRegistry(t);
  registry.configmaps.create('default', { metadata: { name: 'owner' } });
  const { deleted, object } = registry.configmaps.delete('default', 'owner', { propagationPolicy: 'Orphan' });
  assert.equal(deleted, false);
  assert.deepEqual(object.metadata.finalizers, ['orphan']);
  assert.equal(object.metadata.deletionTimestamp, new Date(clock.now).toISOString().replace('.000', ''));
  assert.equal(object.metadata.deletionGracePeriodSeconds, 0);
  registry.configmaps.patch('default', 'owner', (c) => ({ ...c, metadata: { ...c.metadata, finalizers: [] } }));
  assert.equal(registry.configmaps.find('default', 'owner'), undefined);
});

test('orphanDependents=true is the Orphan policy and orphanDependents=false the Background one', (t) => {
  const { registry } = memoryRegistry(t);
  registry.configmaps.create('default', { metadata: { name: 'o' } });
  assert.deepEqual(registry.configmaps.delete('default', 'o', { orphanDependents: true }).object.metadata.finalizers, ['orphan']);
  // A second delete with another policy takes the orphan finalizer away, and the object goes.
  assert.equal(registry.configmaps.delete('default', 'o', { orphanDependents: false }).deleted, true);
  assert.equal(registry.configmaps.find('default', 'o'), undefined);
});

test('a Foreground delete adds foregroundDeletion; a second delete with Orphan swaps it for orphan; Background then deletes', (t) => {
  const { registry } = memoryRegistry(t);
  registry.configmaps.create('default', { metadata: { name: 'f', finalizers: ['example.com/keep'] } });
  const first = registry.configmaps.delete('default', 'f', { propagationPolicy: 'Foreground' }).object;
  assert.deepEqual(first.metadata.finalizers, ['example.com/keep', 'foregroundDeletion']);
  const stamp = first.metadata.deletionTimestamp;
  const second = registry.configmaps.delete('default', 'f', { propagationPolicy: 'Orphan' }).object;
  assert.deepEqual(second.metadata.finalizers, ['example.com/keep', 'orphan']);
  assert.equal(second.metadata.deletionTimestamp, stamp, 'the deletion timestamp of the first delete stays');
  // A delete without options keeps the finalizers as they are and writes nothing.
  const third = registry.configmaps.delete('default', 'f').object;
  assert.equal(third.metadata.resourceVersion, second.metadata.resourceVersion);
  const fourth = registry.configmaps.delete('default', 'f', { propagationPolicy: 'Background' });
  assert.equal(fourth.deleted, false, 'another finalizer still holds it');
  assert.deepEqual(fourth.object.metadata.finalizers, ['example.com/keep']);
});

test('a dry-run delete with a policy reports the finalizers and stores nothing', (t) => {
  const { registry } = memoryRegistry(t);
  const created = registry.configmaps.create('default', { metadata: { name: 'd' } });
  const { object, deleted } = registry.configmaps.delete('default', 'd', { propagationPolicy: 'Foreground', dryRun: true });
  assert.equal(deleted, false);
  assert.deepEqual(object.metadata.finalizers, ['foregroundDeletion']);
  assert.deepEqual(registry.configmaps.get('default', 'd'), created);
});

test('a graceful pod delete with Orphan sets the finalizer; the kubelet’s final delete leaves the pod until the finalizer goes', (t) => {
  const { registry } = memoryRegistry(t);
  registry.pods.create('default', scheduledPod('p'));
  const first = registry.pods.delete('default', 'p', { propagationPolicy: 'Orphan' }).object;
  assert.equal(first.metadata.deletionGracePeriodSeconds, 30);
  assert.deepEqual(first.metadata.finalizers, ['orphan']);
  // While the grace period is pending, options do not change the finalizers.
  const again = registry.pods.delete('default', 'p', { propagationPolicy: 'Background' });
  assert.equal(again.deleted, false);
  assert.deepEqual(again.object.metadata.finalizers, ['orphan']);
  const final = registry.pods.delete('default', 'p', { gracePeriodSeconds: 0 });
  assert.equal(final.deleted, false);
  assert.equal(final.object.metadata.deletionGracePeriodSeconds, 0);
  registry.pods.patch('default', 'p', (p) => ({ ...p, metadata: { ...p.metadata, finalizers: [] } }));
  assert.equal(registry.pods.find('default', 'p'), undefined);
});

test('a graceful pod delete with Foreground keeps the pod after grace 0 until foregroundDeletion is removed', (t) => {
  const { registry } = memoryRegistry(t);
  registry.pods.create('default', scheduledPod('p'));
  registry.pods.delete('default', 'p', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
  const pod = registry.pods.get('default', 'p');
  assert.deepEqual(pod.metadata.finalizers, ['foregroundDeletion']);
  assert.equal(pod.metadata.deletionGracePeriodSeconds, 0);
});

test('the first delete of an object with a generation bumps it, as kube-apiserver does', (t) => {
  const { registry } = memoryRegistry(t);
  const rs = registry.resource('apps', 'v1', 'replicasets')!;
  rs.create('default', {
    metadata: { name: 'rs' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
  });
  const before = rs.get('default', 'rs').metadata.generation;
  const { object } = rs.delete('default', 'rs', { propagationPolicy: 'Foreground' });
  assert.equal(object.metadata.generation, before + 1);
  assert.equal(rs.delete('default', 'rs', { propagationPolicy: 'Foreground' }).object.metadata.generation, before + 1);
});

test('a namespace takes the orphan finalizer at its first delete; later deletes change nothing while it terminates', (t) => {
  const { registry } = memoryRegistry(t);
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  const first = registry.namespaces.delete(undefined, 'demo', { propagationPolicy: 'Orphan' }).object;
  assert.deepEqual(first.metadata.finalizers, ['orphan']);
  assert.equal(first.status?.phase, 'Terminating');
  const again = registry.namespaces.delete(undefined, 'demo', { propagationPolicy: 'Foreground' });
  assert.equal(again.deleted, false);
  assert.deepEqual(again.object.metadata.finalizers, ['orphan']);
  assert.equal(again.object.metadata.resourceVersion, first.metadata.resourceVersion);
});
