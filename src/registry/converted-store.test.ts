import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRegistry } from './registry-fixture.ts';
import type { WatchEvent } from './resource-store.ts';

const coreEvent = {
  metadata: { name: 'web.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
  reason: 'Started',
  message: 'Started container c',
  source: { component: 'kubelet', host: 'node1' },
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:00:00Z',
  count: 1,
  type: 'Normal',
};

test('events.k8s.io/v1 reads a core event through its own field names, with the same resourceVersion', (t) => {
  const { registry } = memoryRegistry(t);
  const events = registry.resource('events.k8s.io', 'v1', 'events')!;
  const created = registry.events.create('default', structuredClone(coreEvent));
  const seen = events.get('default', 'web.1') as Record<string, any>;
  assert.equal(seen.apiVersion, 'events.k8s.io/v1');
  assert.equal(seen.note, 'Started container c');
  assert.deepEqual(seen.regarding, coreEvent.involvedObject);
  assert.deepEqual(seen.deprecatedSource, coreEvent.source);
  assert.equal(seen.deprecatedCount, 1);
  assert.equal(seen.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(seen.metadata.uid, created.metadata.uid);
  assert.deepEqual(
    events.list('default').items.map((e) => e.metadata.name),
    ['web.1'],
  );
});

test('an event created through events.k8s.io/v1 is a core event, and the watch of either version sees the other write', (t) => {
  const { registry } = memoryRegistry(t);
  const events = registry.resource('events.k8s.io', 'v1', 'events')!;
  const fromV1: WatchEvent[] = [];
  const fromCore: WatchEvent[] = [];
  const stopV1 = events.watch('default', { resourceVersion: registry.events.currentResourceVersion() }, (e) => fromV1.push(e));
  const stopCore = registry.events.watch('default', { resourceVersion: registry.events.currentResourceVersion() }, (e) => fromCore.push(e));
  events.create('default', {
    metadata: { name: 'scaled' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    reportingController: 'example.com/ctl',
    reportingInstance: 'ctl-1',
    action: 'Scale',
    reason: 'Scaled',
    regarding: { kind: 'Deployment', namespace: 'default', name: 'web' },
    note: 'scaled up',
    type: 'Normal',
  });
  registry.events.patch('default', 'scaled', (e) => ({ ...e, series: { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' } }));
  stopV1();
  stopCore();
  const core = registry.events.get('default', 'scaled') as Record<string, any>;
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'scaled up');
  assert.equal(core.reportingComponent, 'example.com/ctl');
  assert.deepEqual(core.involvedObject, { kind: 'Deployment', namespace: 'default', name: 'web' });
  assert.deepEqual(
    fromV1.map((e) => [e.type, (e.object as any).apiVersion, (e.object as any).note, (e.object as any).series?.count]),
    [
      ['ADDED', 'events.k8s.io/v1', 'scaled up', undefined],
      ['MODIFIED', 'events.k8s.io/v1', 'scaled up', 2],
    ],
  );
  assert.deepEqual(
    fromCore.map((e) => [e.type, (e.object as any).apiVersion, (e.object as any).message]),
    [
      ['ADDED', 'v1', 'scaled up'],
      ['MODIFIED', 'v1', 'scaled up'],
    ],
  );
});

test('events.k8s.io/v1 selects on regarding and refuses core field names', (t) => {
  const { registry } = memoryRegistry(t);
  const events = registry.resource('events.k8s.io', 'v1', 'events')!;
  registry.events.create('default', structuredClone(coreEvent));
  registry.events.create('default', { ...structuredClone(coreEvent), metadata: { name: 'other.1' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'other' } });
  assert.deepEqual(
    events.list('default', { fieldSelector: 'regarding.name=web' }).items.map((e) => e.metadata.name),
    ['web.1'],
  );
  assert.throws(() => events.list('default', { fieldSelector: 'involvedObject.name=web' }), /field label not supported: involvedObject.name/);
  assert.throws(() => events.list('default', { fieldSelector: 'source=kubelet' }), /field label not supported: source/);
  assert.deepEqual(
    events.list('default', { fieldSelector: 'reportingController=kubelet,type=Normal' }).items.map((e) => e.metadata.name),
    [],
  );
});

test('an events.k8s.io/v1 event that fails the strict checks is refused with the core field names', (t) => {
  const { registry } = memoryRegistry(t);
  const events = registry.resource('events.k8s.io', 'v1', 'events')!;
  assert.throws(
    () => events.create('default', { metadata: { name: 'old-style' }, regarding: { namespace: 'default' }, note: 'x', type: 'Normal', deprecatedCount: 2 }),
    (err: any) => err.code === 422 && /eventTime: Required value/.test(err.message) && /count: Invalid value: "": needs to be unset/.test(err.message),
  );
});
