import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../api/api.ts';
import { Store } from '../store/store.ts';
import { memoryRegistry } from './registry-fixture.ts';
import { ResourceStore, type WatchEvent } from './resource-store.ts';
import { configMapKind } from '../api/core/configmap/configmap.ts';

const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
});

test('registry refuses new objects in a terminating namespace with the NamespaceTerminating cause', (t) => {
  const { registry } = memoryRegistry(t);
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  registry.pods.create('demo', pod('keep'));
  registry.namespaces.delete(undefined, 'demo');
  assert.equal(registry.namespaces.get(undefined, 'demo').status?.phase, 'Terminating');
  assert.throws(
    () => registry.configmaps.create('demo', { metadata: { name: 'c' } }),
    (err: unknown) =>
      err instanceof ApiError &&
      err.code === 403 &&
      err.message === 'configmaps "c" is forbidden: unable to create new content in namespace demo because it is being terminated' &&
      err.details?.causes?.[0]?.reason === 'NamespaceTerminating',
  );
});

test('a pod with a finalizer stays, marked for deletion, until the finalizer is removed', (t) => {
  const { registry } = memoryRegistry(t);
  registry.pods.create('default', { ...pod('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  const { deleted, object } = registry.pods.delete('default', 'held', { gracePeriodSeconds: 0 });
  assert.equal(deleted, false);
  assert.ok(object.metadata.deletionTimestamp);
  registry.pods.patch('default', 'held', (p) => ({ ...p, metadata: { ...p.metadata, finalizers: [] } }));
  assert.equal(registry.pods.find('default', 'held'), undefined);
});

test('label and field selectors filter lists as the API server does', (t) => {
  const { registry } = memoryRegistry(t);
  registry.pods.create('default', pod('a', { app: 'web', tier: 'fe' }));
  registry.pods.create('default', pod('b', { app: 'web' }));
  registry.pods.create('default', pod('c', { app: 'db' }));
  const names = (opts: { labelSelector?: string; fieldSelector?: string }) =>
    registry.pods.list('default', opts).items.map((p) => p.metadata.name);
  assert.deepEqual(names({ labelSelector: 'app=web,tier!=fe' }), ['b']);
  assert.deepEqual(names({ labelSelector: 'app in (web,db),!tier' }), ['b', 'c']);
  assert.deepEqual(names({ fieldSelector: 'metadata.name!=a,status.phase=Pending' }), ['b', 'c']);
  assert.throws(
    () => names({ fieldSelector: 'spec.bogus=1' }),
    (err: unknown) => err instanceof ApiError && err.code === 400 && err.message === 'field label not supported: spec.bogus',
  );
});

test('a list or watch whose field selector names one object reads only that key, as MatchesSingle does', (t) => {
  const { registry, store } = memoryRegistry(t);
  for (const n of ['m-1', 'm-10', 'm-2']) registry.pods.create('default', pod(n));
  const read: string[] = [];
  const listAt = store.listAt.bind(store);
  store.listAt = (prefix, revision, from) => {
    read.push(prefix);
    return listAt(prefix, revision, from);
  };
  const names = (fieldSelector: string) => registry.pods.list('default', { fieldSelector }).items.map((p) => p.metadata.name);
  assert.deepEqual(names('metadata.name=m-1'), ['m-1'], 'm-10 shares the key prefix and is still filtered out');
  assert.deepEqual(names('metadata.name=m-1,status.phase=Running'), []);
  assert.deepEqual(names('metadata.name!=m-1'), ['m-10', 'm-2']);
  assert.deepEqual(read, ['/registry/pods/default/m-1', '/registry/pods/default/m-1', '/registry/pods/default/']);
  // All namespaces: no single key to read, the selector still applies.
  assert.deepEqual(registry.pods.list(undefined, { fieldSelector: 'metadata.name=m-2' }).items.map((p) => p.metadata.name), ['m-2']);

  const seen: string[] = [];
  const stop = registry.pods.watch('default', { fieldSelector: 'metadata.name=m-1' }, (e) => seen.push(`${e.type} ${(e.object.metadata as { name?: string }).name}`));
  registry.pods.patch('default', 'm-10', (p) => ({ ...p, metadata: { ...p.metadata, labels: { x: '1' } } }));
  registry.pods.patch('default', 'm-1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { x: '1' } } }));
  stop();
  assert.deepEqual(seen, ['ADDED m-1', 'MODIFIED m-1']);
});

test('an update that changes nothing keeps the resourceVersion and wakes no watcher', (t) => {
  const { registry } = memoryRegistry(t);
  const created = registry.pods.create('default', pod('same', { a: '1' }));
  const seen: string[] = [];
  const stop = registry.pods.watch('default', { resourceVersion: created.metadata.resourceVersion }, (e) => seen.push(e.type));
  t.after(stop);
  const same = registry.pods.patch('default', 'same', (p) => ({ ...p, metadata: { ...p.metadata, labels: { a: '1' } } }));
  assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
  const changed = registry.pods.patch('default', 'same', (p) => ({ ...p, metadata: { ...p.metadata, labels: { a: '2' } } }));
  assert.notEqual(changed.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.deepEqual(seen, ['MODIFIED']);
});

test('a watch resumed after compaction still knows the previous value: an update is MODIFIED with or without a selector', (t) => {
  const store = new Store({
    file: ':memory:',
    retainRevisions: 1,
    stampRevision: (v, rev) => {
      v.metadata!.resourceVersion = String(rev);
    },
  });
  t.after(() => store.stop());
  const configmaps = new ResourceStore(configMapKind, { store, now: Date.now });
  configmaps.create('default', { metadata: { name: 'c', labels: { app: 'web' } }, data: { v: '1' } });
  configmaps.patch('default', 'c', (c) => ({ ...c, data: { v: '2' } }));
  const from = configmaps.currentResourceVersion();
  configmaps.patch('default', 'c', (c) => ({ ...c, data: { v: '3' } }));
  // Compaction to `from` drops the create but keeps the write at `from`, as etcd
  // keeps every key's newest revision at the compaction revision: the replayed
  // event has its previous value. (A log compacted by an earlier berth may lack
  // it; then a selector counts the update as ADDED, as etcd3's watcher does.)
  assert.ok(store.compact() > 0);
  const seen = (labelSelector?: string) => {
    const events: WatchEvent[] = [];
    configmaps.watch('default', { resourceVersion: from, labelSelector }, (e) => events.push(e))();
    return events.map((e) => `${e.type} ${(e.object as ConfigMap).data?.v}`);
  };
  assert.deepEqual(seen(), ['MODIFIED 3']);
  assert.deepEqual(seen('app=web'), ['MODIFIED 3']);
});

test('an update without resourceVersion applies unconditionally; a stale one is a Conflict', (t) => {
  const { registry } = memoryRegistry(t);
  const created = registry.configmaps.create('default', { metadata: { name: 'c' }, data: { v: '1' } });
  const updated = registry.configmaps.update('default', 'c', { metadata: { name: 'c' }, data: { v: '2' } });
  assert.equal(updated.data?.v, '2');
  assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.throws(
    () => registry.configmaps.update('default', 'c', { metadata: { name: 'c', resourceVersion: created.metadata.resourceVersion }, data: { v: '3' } }),
    (err: unknown) => err instanceof ApiError && err.code === 409 && err.reason === 'Conflict',
  );
  assert.equal(registry.configmaps.get('default', 'c').data?.v, '2');
});

test('a second delete with a shorter grace period moves the deadline to the first delete plus the new grace', (t) => {
  const { registry, clock } = memoryRegistry(t);
  registry.pods.create('default', pod('slow'));
  registry.pods.internalUpdate('default', 'slow', (p) => ({ ...p, spec: { ...p.spec!, nodeName: 'node1' } }));
  registry.pods.delete('default', 'slow', { gracePeriodSeconds: 30 });
  assert.equal(registry.pods.get('default', 'slow').metadata.deletionTimestamp, '2026-01-01T00:00:30Z');
  clock.now += 10_000;
  const { object } = registry.pods.delete('default', 'slow', { gracePeriodSeconds: 5 });
  assert.equal(object.metadata.deletionTimestamp, '2026-01-01T00:00:05Z');
  assert.equal(object.metadata.deletionGracePeriodSeconds, 5);
  // A longer one changes nothing.
  const again = registry.pods.delete('default', 'slow', { gracePeriodSeconds: 20 });
  assert.equal(again.object.metadata.deletionTimestamp, '2026-01-01T00:00:05Z');
  assert.equal(again.object.metadata.deletionGracePeriodSeconds, 5);
});

test('an update whose managedFields do not decode keeps the live ones, and later applies still work', (t) => {
  const { registry } = memoryRegistry(t);
  registry.configmaps.create('default', { metadata: { name: 'c' }, data: { a: '1' } }, { fieldManager: 'kubectl-create' });
  for (const fieldsV1 of [{ 'f:data': { 'k:{bad': {} } }, { 'f:data': { 'i:one': {} } }, { 'x:data': {} }, { 'f:data': [] }]) {
    const bad = structuredClone(registry.configmaps.get('default', 'c'));
    bad.metadata.managedFields = [{ manager: 'evil', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 }];
    bad.data = { a: String(Number(bad.data?.a) + 1) };
    const updated = registry.configmaps.update('default', 'c', bad, { fieldManager: 'kubectl-edit' });
    assert.deepEqual(
      updated.metadata.managedFields?.map((e) => e.manager),
      ['kubectl-create', 'kubectl-edit'],
      JSON.stringify(fieldsV1),
    );
  }
  const applied = registry.configmaps.apply('default', 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '3' } }, { fieldManager: 'kubectl', force: true });
  assert.equal(applied.object.data?.b, '3');
});

test('registry deletes the Endpoints of a deleted Service (same name) with it, as kube-apiserver does', (t) => {
  const { registry } = memoryRegistry(t);
  registry.services.create('default', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
  registry.endpoints.create('default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }] });
  registry.endpoints.create('default', { metadata: { name: 'other' } });
  registry.services.delete('default', 'web', { dryRun: true });
  assert.ok(registry.endpoints.find('default', 'web'), 'a dry run deletes nothing');
  const { deleted } = registry.services.delete('default', 'web');
  assert.equal(deleted, true);
  assert.equal(registry.endpoints.find('default', 'web'), undefined);
  assert.ok(registry.endpoints.find('default', 'other'));
  // A Service without Endpoints deletes as any object.
  registry.services.create('default', { metadata: { name: 'lone' }, spec: { ports: [{ port: 80 }] } });
  assert.equal(registry.services.delete('default', 'lone').deleted, true);
});
