import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, ObjectList, ResourceClient } from '../client/client.ts';
import { inProcessClient } from '../client/client.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { InformerFactory } from './informer-factory.ts';

test('InformerFactory shares one informer per resource and starts every one asked for', (t) => {
  const { registry } = memoryRegistry(t);
  const client = inProcessClient(registry);
  const factory = new InformerFactory({ client, clock: new FakeClock(), resyncPeriodMs: 0 });
  t.after(() => factory.stop());
  const pods = factory.forResource('pods');
  assert.equal(factory.forResource('pods'), pods);
  assert.equal(factory.informerFor(client.resource('pods')), pods);
  const namespaces = factory.forResource('namespaces');
  assert.notEqual(namespaces, pods);
  factory.start(new AbortController().signal);
  assert.equal(pods.hasSynced() && namespaces.hasSynced(), true);
  assert.deepEqual(namespaces.lister.list().map((n) => n.metadata?.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
});

test('InformerFactory waitForCacheSync waits for an informer whose first list failed, and rejects when its signal aborts', async () => {
  const clock = new FakeClock(0);
  let failing = true;
  const flaky: ResourceClient<ApiObject> = {
    description: { group: '', version: 'v1', resource: 'widgets', namespaced: true, verbs: [] },
    get: () => undefined,
    list: (): ObjectList<ApiObject> => {
      if (failing) throw new Error('not yet');
      return { items: [], resourceVersion: '1' };
    },
    watch: () => () => {},
    create: (_ns, o) => o,
    updateStatus: (_ns, o) => o,
    update: (_ns, o) => o,
    delete: () => {},
  };
  const factory = new InformerFactory({ client: { resource: () => flaky as never }, clock, resyncPeriodMs: 0 });
  factory.informerFor(flaky);
  const ac = new AbortController();
  factory.start(ac.signal);
  let synced = false;
  const waiting = factory.waitForCacheSync().then(() => (synced = true));
  await clock.advance(700);
  assert.equal(synced, false);
  failing = false;
  await clock.advance(200);
  await waiting;
  assert.equal(synced, true);

  failing = true;
  const other = new InformerFactory({ client: { resource: () => flaky as never }, clock, resyncPeriodMs: 0 });
  other.informerFor({ ...flaky, description: { ...flaky.description, resource: 'gadgets' } });
  const ac2 = new AbortController();
  other.start(ac2.signal);
  const aborted = other.waitForCacheSync(ac2.signal);
  ac2.abort(new Error('node stopping'));
  await assert.rejects(aborted, /node stopping/);
  factory.stop();
  other.stop();
  assert.equal(clock.pendingTimers, 0);
});
