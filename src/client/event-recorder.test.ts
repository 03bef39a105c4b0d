import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../api/api.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { inProcessClient, type EventClient } from './client.ts';
import { EventRecorder } from './event-recorder.ts';

const pod = { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' };

test('EventRecorder aggregates identical events into one Event with a count', (t) => {
  const { registry, clock } = memoryRegistry(t);
  const rec = new EventRecorder(inProcessClient(registry).events, { component: 'kubelet', host: 'node1' }, () => clock.now);
  rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod p_default(u1)');
  clock.now += 20_000;
  rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod p_default(u1)');
  clock.now += 10_000;
  rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod p_default(u1)');
  rec.record(pod, 'Normal', 'Pulled', 'Container image "busybox:1.35" already present on machine');
  const events: Event[] = registry.events.list('default').items;
  assert.equal(events.length, 2);
  const backoff = events.find((e) => e.reason === 'BackOff')!;
  assert.equal(backoff.count, 3);
  assert.equal(backoff.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(backoff.lastTimestamp, '2026-01-01T00:00:30Z');
  assert.deepEqual(backoff.source, { component: 'kubelet', host: 'node1' });
  assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{c}');
});

test('EventRecorder drops an event the API refuses instead of failing its caller', (t) => {
  const { registry, clock } = memoryRegistry(t);
  registry.namespaces.create(undefined, { metadata: { name: 'gone', finalizers: ['example.com/hold'] } });
  registry.namespaces.delete(undefined, 'gone');
  const logged: string[] = [];
  const rec = new EventRecorder(inProcessClient(registry).events, { component: 'kubelet' }, () => clock.now, (m) => logged.push(m));
  assert.doesNotThrow(() => rec.record({ ...pod, namespace: 'gone' }, 'Normal', 'Killing', 'Stopping container c'));
  assert.equal(registry.events.list('gone').items.length, 0);
  assert.match(logged[0], /server rejected event Killing for gone\/p \(will not retry\): events ".*" is forbidden: unable to create new content in namespace gone because it is being terminated/);
});

test('EventRecorder keeps counting when the client does not hand back the objects it was given', (t) => {
  const { registry, clock } = memoryRegistry(t);
  // As a remote client would: the server never sees (or changes) the caller's objects.
  const inner = inProcessClient(registry).events;
  const copying: EventClient = {
    create: (ev) => inner.create(structuredClone(ev)),
    update: (ev) => inner.update(structuredClone(ev)),
  };
  const logged: string[] = [];
  const rec = new EventRecorder(copying, { component: 'kubelet' }, () => clock.now, (m) => logged.push(m));
  for (let i = 0; i < 4; i++) {
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod p_default(u1)');
    clock.now += 10_000;
  }
  assert.deepEqual(logged, []);
  const events: Event[] = registry.events.list('default').items;
  assert.equal(events.length, 1);
  assert.equal(events[0].count, 4);
  assert.equal(events[0].lastTimestamp, '2026-01-01T00:00:30Z');
});
