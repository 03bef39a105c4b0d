import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from '../api/api.ts';
import { ApiError } from '../api/api.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { inProcessClient } from './client.ts';
import type { ResourceWatchEvent } from './resource-client.ts';

test('resourceClient lists with the revision a watch resumes from and misses nothing after it', (t) => {
  const { registry } = memoryRegistry(t);
  const cms = inProcessClient(registry).resource('configmaps');
  cms.create('default', { metadata: { name: 'a' } });
  const { items, resourceVersion } = cms.list(undefined);
  assert.deepEqual(items.map((c) => c.metadata?.name), ['a']);
  cms.create('default', { metadata: { name: 'b' } });
  const seen: string[] = [];
  const stop = cms.watch(undefined, { resourceVersion }, (e) => seen.push(`${e.type} ${e.object.metadata?.name}`), () => {});
  cms.delete('default', 'a');
  stop();
  cms.create('default', { metadata: { name: 'c' } });
  assert.deepEqual(seen, ['ADDED b', 'DELETED a']);
});

test('resourceClient watch closes itself when its handler throws and reports it outside the delivery', async (t) => {
  const { registry } = memoryRegistry(t);
  const cms = inProcessClient(registry).resource('configmaps');
  const seen: ResourceWatchEvent<ConfigMap>[] = [];
  const closed: unknown[] = [];
  cms.watch(
    'default',
    { resourceVersion: cms.list('default').resourceVersion },
    (e) => {
      seen.push(e);
      throw new Error('broken handler');
    },
    (err) => closed.push(err),
  );
  cms.create('default', { metadata: { name: 'a' } });
  assert.equal(closed.length, 0, 'not inside the write');
  cms.create('default', { metadata: { name: 'b' } });
  await Promise.resolve();
  assert.equal(seen.length, 1, 'nothing after the close');
  assert.equal(closed.length, 1);
  assert.match(String(closed[0]), /broken handler/);
});

test('resourceClient watch stopped by its caller never reports a close', async (t) => {
  const { registry } = memoryRegistry(t);
  const cms = inProcessClient(registry).resource('configmaps');
  cms.create('default', { metadata: { name: 'a' } });
  let closed = 0;
  // The replayed ADDED throws inside watch() itself, before the caller holds the stop function.
  const stop = cms.watch('default', { resourceVersion: '0' }, () => { throw new Error('x'); }, () => closed++);
  stop();
  await Promise.resolve();
  assert.equal(closed, 0);
});

test('resourceClient update is conditional on metadata.resourceVersion', (t) => {
  const { registry } = memoryRegistry(t);
  const cms = inProcessClient(registry).resource('configmaps');
  const a = cms.create('default', { metadata: { name: 'a' }, data: { k: '1' } });
  cms.update('default', { ...a, data: { k: '2' } });
  assert.throws(() => cms.update('default', { ...a, data: { k: '3' } }), (err: unknown) => err instanceof ApiError && err.code === 409);
  assert.equal(cms.get('default', 'a')?.data?.k, '2');
});

test('inProcessClient resources describes every served resource with its scope and verbs', (t) => {
  const { registry } = memoryRegistry(t);
  const byName = new Map(inProcessClient(registry).resources().map((r) => [r.description.resource, r.description]));
  assert.equal(byName.get('pods')?.namespaced, true);
  assert.equal(byName.get('namespaces')?.namespaced, false);
  assert.ok(byName.get('configmaps')?.verbs.includes('delete'));
});

test('namespaces.finalize writes only spec.finalizers and the terminating namespace left with none goes', (t) => {
  const { registry } = memoryRegistry(t);
  const client = inProcessClient(registry);
  registry.namespaces.create(undefined, { metadata: { name: 'demo', labels: { a: 'b' } } });
  registry.namespaces.delete(undefined, 'demo');
  const ns = client.resource('namespaces').get(undefined, 'demo')!;
  assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
  assert.throws(
    () => client.namespaces.finalize({ ...ns, metadata: { ...ns.metadata, resourceVersion: '1' }, spec: { finalizers: [] } }),
    (err: unknown) => err instanceof ApiError && err.code === 409,
  );
  client.namespaces.finalize({ ...ns, metadata: { ...ns.metadata, labels: { changed: 'no' } }, spec: { finalizers: [] } });
  assert.equal(registry.namespaces.find(undefined, 'demo'), undefined);
});
