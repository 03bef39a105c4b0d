import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { controllerFixture, type ControllerFixture } from '../controller-fixture.ts';
import { garbageCollectorController } from './garbage-collector.ts';

const ref = (o: { kind?: string; apiVersion?: string; metadata?: { name?: string; uid?: string } }, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata!.name!,
  uid: o.metadata!.uid!,
  ...extra,
});

function configMap(f: ControllerFixture, name: string, owners: OwnerReference[] = [], extra: { finalizers?: string[]; namespace?: string } = {}): ConfigMap {
  const ns = extra.namespace ?? 'default';
  return f.client.resource('configmaps').create(ns, { metadata: { name, namespace: ns, ownerReferences: owners, finalizers: extra.finalizers } });
}

function pod(f: ControllerFixture, name: string, owners: OwnerReference[]): Pod {
  return f.client.resource('pods').create('default', {
    metadata: { name, ownerReferences: owners },
    spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
  });
}

const cm = (f: ControllerFixture, name: string, ns = 'default') => f.client.resource('configmaps').get(ns, name);

/** Lets the graph and the workers run until nothing changes (each round is one settle). */
async function settle(f: ControllerFixture): Promise<void> {
  for (let i = 0; i < 5; i++) await f.clock.settle();
}

test('garbage collector deletes the dependents of a deleted owner in the background: ConfigMaps, and pods of a ReplicaSet', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  configMap(f, 'dep', [ref(owner)]);
  pod(f, 'p', [ref(owner)]);
  const rs = f.client.resource('replicasets').create('default', {
    metadata: { name: 'rs' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
  } as ReplicaSet);
  pod(f, 'rs-pod', [ref(rs, { controller: true, blockOwnerDeletion: true })]);
  await settle(f);
  assert.ok(cm(f, 'dep'), 'a dependent with a live owner stays');

  f.client.resource('configmaps').delete('default', 'owner');
  f.client.resource('replicasets').delete('default', 'rs');
  await settle(f);
  assert.equal(cm(f, 'dep'), undefined);
  assert.equal(f.client.resource('pods').get('default', 'p'), undefined);
  assert.equal(f.client.resource('pods').get('default', 'rs-pod'), undefined);
  assert.ok(f.logs.some((l) => l.includes('"Deleting item"') && l.includes('name: dep') && l.includes('propagationPolicy="Background"')), f.logs.join('\n'));
});

test('garbage collector holds a foreground-deleted owner until its blocking dependents are gone, then removes the finalizer', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  configMap(f, 'blocking', [ref(owner, { blockOwnerDeletion: true })], { finalizers: ['example.com/hold'] });
  configMap(f, 'plain', [ref(owner)]);
  await settle(f);

  f.client.resource('configmaps').delete('default', 'owner', { propagationPolicy: 'Foreground' });
  await settle(f);
  const waiting = cm(f, 'owner');
  assert.deepEqual(waiting?.metadata?.finalizers, ['foregroundDeletion']);
  assert.ok(waiting?.metadata?.deletionTimestamp);
  assert.equal(cm(f, 'plain'), undefined, 'dependents are deleted while the owner waits');
  assert.ok(cm(f, 'blocking')?.metadata?.deletionTimestamp, 'the blocking dependent is terminating, held by its own finalizer');

  const blocking = cm(f, 'blocking')!;
  f.client.resource('configmaps').update('default', { ...blocking, metadata: { ...blocking.metadata, finalizers: [] } });
  await settle(f);
  assert.equal(cm(f, 'blocking'), undefined);
  assert.equal(cm(f, 'owner'), undefined, 'the owner goes once no dependent blocks it');
});

test('garbage collector does not wait for dependents without blockOwnerDeletion in a foreground deletion', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  configMap(f, 'held', [ref(owner)], { finalizers: ['example.com/hold'] });
  await settle(f);
  f.client.resource('configmaps').delete('default', 'owner', { propagationPolicy: 'Foreground' });
  await settle(f);
  assert.equal(cm(f, 'owner'), undefined);
  assert.ok(cm(f, 'held')?.metadata?.deletionTimestamp);
});

test('garbage collector orphans: the dependents lose the ownerReference and stay, then the orphan finalizer goes with the owner', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  const other = configMap(f, 'other');
  configMap(f, 'dep', [ref(owner), ref(other)]);
  pod(f, 'p', [ref(owner, { controller: true, blockOwnerDeletion: true })]);
  await settle(f);

  f.client.resource('configmaps').delete('default', 'owner', { propagationPolicy: 'Orphan' });
  await settle(f);
  assert.equal(cm(f, 'owner'), undefined);
  assert.deepEqual(cm(f, 'dep')?.metadata?.ownerReferences, [ref(other)], 'only the orphaning owner is removed');
  const p = f.client.resource('pods').get('default', 'p');
  assert.ok(p, 'the pod stays');
  assert.equal(p.metadata?.ownerReferences, undefined);
});

test('garbage collector deletes at start the dependents whose owner was deleted while it was stopped', async (t) => {
  const f = controllerFixture(t);
  const first = await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  configMap(f, 'dep', [ref(owner)]);
  await settle(f);
  first.stop();
  f.client.resource('configmaps').delete('default', 'owner');
  configMap(f, 'never-had', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }]);
  await settle(f);
  assert.ok(cm(f, 'dep'), 'nothing collects while stopped');

  await f.run([garbageCollectorController]);
  await settle(f);
  assert.equal(cm(f, 'dep'), undefined);
  assert.equal(cm(f, 'never-had'), undefined);
});

test('garbage collector treats an owner with the same name and another uid as absent', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  configMap(f, 'right', [ref(owner)]);
  configMap(f, 'wrong', [{ ...ref(owner), uid: 'another-uid' }]);
  await settle(f);
  assert.equal(cm(f, 'wrong'), undefined);
  assert.ok(cm(f, 'right'));
});

test('garbage collector keeps a dependent with another live owner and removes only the dangling reference', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const a = configMap(f, 'a');
  const b = configMap(f, 'b');
  configMap(f, 'dep', [ref(a), ref(b)]);
  await settle(f);
  f.client.resource('configmaps').delete('default', 'a');
  await settle(f);
  assert.deepEqual(cm(f, 'dep')?.metadata?.ownerReferences, [ref(b)]);
  assert.ok(f.logs.some((l) => l.includes('"remove dangling references and waiting references for item"')), f.logs.join('\n'));
  f.client.resource('configmaps').delete('default', 'b');
  await settle(f);
  assert.equal(cm(f, 'dep'), undefined);
});

test('garbage collector reports OwnerRefInvalidNamespace for an owner in another namespace and collects the dependent', async (t) => {
  const f = controllerFixture(t);
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'other' } });
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner', [], { namespace: 'other' });
  await settle(f);
  const dep = configMap(f, 'dep', [ref(owner)]);
  await settle(f);
  assert.equal(cm(f, 'dep'), undefined, 'the owner does not exist in the dependent’s namespace');
  assert.ok(cm(f, 'owner', 'other'));
  const ev = f.registry.events.list('default').items.find((e) => e.reason === 'OwnerRefInvalidNamespace');
  assert.ok(ev, 'an event was recorded');
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.involvedObject.name, 'dep');
  assert.equal(ev.involvedObject.uid, dep.metadata?.uid);
  assert.equal(
    ev.message,
    `ownerRef [v1/ConfigMap, namespace: default, name: owner, uid: ${owner.metadata?.uid}] does not exist in namespace "default"`,
  );
  assert.equal(ev.source?.component, 'garbage-collector-controller');
});

test('garbage collector never collects a cluster-scoped object that names a namespaced owner, and reports it', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const owner = configMap(f, 'owner');
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'owned', ownerReferences: [ref(owner)] } });
  await settle(f);
  assert.ok(f.client.resource('namespaces').get(undefined, 'owned'));
  f.client.resource('configmaps').delete('default', 'owner');
  await settle(f);
  assert.ok(f.client.resource('namespaces').get(undefined, 'owned'), 'still there after the owner went');
  assert.ok(f.registry.events.list(undefined).items.some((e) => e.reason === 'OwnerRefInvalidNamespace' && e.involvedObject.name === 'owned'));
});

test('garbage collector lets a foreground-deleted owner go by removing its reference from a dependent another owner keeps', async (t) => {
  const f = controllerFixture(t);
  await f.run([garbageCollectorController]);
  const a = configMap(f, 'a');
  const b = configMap(f, 'b');
  configMap(f, 'shared', [ref(a, { blockOwnerDeletion: true }), ref(b)]);
  await settle(f);
  f.client.resource('configmaps').delete('default', 'a', { propagationPolicy: 'Foreground' });
  await settle(f);
  assert.equal(cm(f, 'a'), undefined);
  assert.deepEqual(cm(f, 'shared')?.metadata?.ownerReferences, [ref(b)]);
});
