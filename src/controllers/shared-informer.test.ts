import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from '../api/api.ts';
import { errors } from '../api/api.ts';
import type { ResourceWatchEvent } from '../client/client.ts';
import { inProcessClient } from '../client/client.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { listWatchOf, type ListerWatcher } from './reflector.ts';
import { SharedInformer, type EventHandler } from './shared-informer.ts';

function recorder(log: string[], tag = ''): EventHandler<ConfigMap> {
  return {
    add: (o) => log.push(`${tag}add ${o.metadata?.name}`),
    update: (a, b) => log.push(`${tag}update ${a.metadata?.name} ${a === b ? 'resync' : `${a.data?.v ?? ''}->${b.data?.v ?? ''}`}`),
    delete: (o) => log.push(`${tag}delete ${o.metadata?.name}`),
  };
}

function configMapInformer(t: { after(fn: () => void): void }, resyncPeriodMs = 0) {
  const { registry } = memoryRegistry(t);
  const clock = new FakeClock(0);
  const client = inProcessClient(registry).resource('configmaps');
  const informer = new SharedInformer<ConfigMap>({ name: 'configmaps', listerWatcher: listWatchOf(client), clock, resyncPeriodMs });
  t.after(() => informer.stop());
  return { client, clock, informer };
}

test('SharedInformer caches the first list, calls add for each object, and then hasSynced', (t) => {
  const { client, informer } = configMapInformer(t);
  client.create('default', { metadata: { name: 'a' } });
  client.create('kube-system', { metadata: { name: 'b' } });
  const log: string[] = [];
  informer.addEventHandler(recorder(log));
  assert.equal(informer.hasSynced(), false);
  informer.start();
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(log.sort(), ['add a', 'add b']);
  assert.equal(informer.lister.get('kube-system', 'b')?.metadata?.name, 'b');
  assert.deepEqual(informer.lister.listInNamespace('default').map((c) => c.metadata?.name), ['a']);
});

test('SharedInformer calls update and delete handlers in change order, with frozen cache objects', (t) => {
  const { client, informer } = configMapInformer(t);
  const log: string[] = [];
  informer.addEventHandler(recorder(log));
  informer.start();
  const a = client.create('default', { metadata: { name: 'a' }, data: { v: '1' } });
  client.update('default', { ...a, data: { v: '2' } });
  client.delete('default', 'a');
  assert.deepEqual(log, ['add a', 'update a 1->2', 'delete a']);
  assert.equal(informer.lister.get('default', 'a'), undefined);
  client.create('default', { metadata: { name: 'b' }, data: { v: '1' } });
  const cached = informer.lister.get('default', 'b')!;
  assert.ok(Object.isFrozen(cached) && Object.isFrozen(cached.metadata) && Object.isFrozen(cached.data));
  assert.equal(informer.lastSyncResourceVersion, cached.metadata?.resourceVersion);
});

test('SharedInformer resync calls update(obj, obj) for every cached object every period', (t) => {
  const { client, clock, informer } = configMapInformer(t, 60_000);
  client.create('default', { metadata: { name: 'a' } });
  const log: string[] = [];
  informer.addEventHandler(recorder(log));
  informer.start();
  clock.step(59_999);
  assert.deepEqual(log, ['add a']);
  clock.step(1);
  assert.deepEqual(log, ['add a', 'update a resync']);
  clock.step(60_000);
  assert.equal(log.length, 3);
  informer.stop();
  clock.step(600_000);
  assert.equal(log.length, 3, 'no resync after stop');
});

test('SharedInformer relist after 410 Expired deletes what the new list lacks and updates the rest', () => {
  const clock = new FakeClock(0);
  let items: ConfigMap[] = [
    { metadata: { namespace: 'd', name: 'keep', resourceVersion: '1' }, data: { v: '1' } },
    { metadata: { namespace: 'd', name: 'gone', resourceVersion: '2' } },
  ];
  let close: ((err: unknown) => void) | undefined;
  const lw: ListerWatcher<ConfigMap> = {
    list: () => ({ items: structuredClone(items), resourceVersion: '9' }),
    watch: (_rv, _onEvent: (e: ResourceWatchEvent<ConfigMap>) => void, onClosed) => {
      close = onClosed;
      return () => {};
    },
  };
  const informer = new SharedInformer<ConfigMap>({ name: 'configmaps', listerWatcher: lw, clock, resyncPeriodMs: 0 });
  const log: string[] = [];
  informer.addEventHandler(recorder(log));
  informer.start();
  items = [
    { metadata: { namespace: 'd', name: 'keep', resourceVersion: '7' }, data: { v: '2' } },
    { metadata: { namespace: 'd', name: 'new', resourceVersion: '8' } },
  ];
  close!(errors.expired('too old resource version: 9 (10)'));
  assert.deepEqual(log, ['add keep', 'add gone', 'update keep 1->2', 'add new', 'delete gone']);
  assert.deepEqual(informer.indexer.keys().sort(), ['d/keep', 'd/new']);
});

test('SharedInformer gives a handler added after the first list an add for everything cached', (t) => {
  const { client, informer } = configMapInformer(t);
  client.create('default', { metadata: { name: 'a' } });
  informer.start();
  const log: string[] = [];
  const remove = informer.addEventHandler(recorder(log));
  assert.deepEqual(log, ['add a']);
  remove();
  client.create('default', { metadata: { name: 'b' } });
  assert.deepEqual(log, ['add a']);
});

test('SharedInformer keeps calling the other handlers when one throws, and reports it', (t) => {
  const { registry } = memoryRegistry(t);
  const clock = new FakeClock(0);
  const client = inProcessClient(registry).resource('configmaps');
  const logged: string[] = [];
  const informer = new SharedInformer<ConfigMap>({ name: 'configmaps', listerWatcher: listWatchOf(client), clock, resyncPeriodMs: 0, log: (m) => logged.push(m) });
  t.after(() => informer.stop());
  const log: string[] = [];
  informer.addEventHandler({ add: () => { throw new Error('boom'); } });
  informer.addEventHandler(recorder(log));
  informer.start();
  client.create('default', { metadata: { name: 'a' } });
  client.create('default', { metadata: { name: 'b' } });
  assert.deepEqual(log, ['add a', 'add b']);
  assert.deepEqual(logged, ['configmaps: add handler failed: boom', 'configmaps: add handler failed: boom']);
});
