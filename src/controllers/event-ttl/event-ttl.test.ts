import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339 } from '../../api/api.ts';
import { EventRecorder } from '../../client/client.ts';
import { controllerFixture } from '../controller-fixture.ts';
import { eventTtlController, eventTtlMs } from './event-ttl.ts';

const pod = { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', apiVersion: 'v1' };
const minute = 60_000;

test('event-ttl deletes an event one hour after its last occurrence, and a repeat pushes that out', async (t) => {
  const f = controllerFixture(t);
  const rec = new EventRecorder(f.client.events, { component: 'kubelet' }, () => f.clock.now());
  rec.record(pod, 'Normal', 'Pulled', 'pulled');
  rec.record(pod, 'Warning', 'BackOff', 'back-off');
  await f.run([eventTtlController]);

  await f.clock.advance(9 * minute);
  rec.record(pod, 'Warning', 'BackOff', 'back-off');
  assert.equal(f.registry.events.list('default').items.find((e) => e.reason === 'BackOff')?.count, 2);
  await f.clock.advance(51 * minute - 1);
  assert.equal(f.registry.events.list('default').items.length, 2, 'not before the hour is up');
  await f.clock.advance(1);
  assert.deepEqual(f.registry.events.list('default').items.map((e) => e.reason), ['BackOff'], 'Pulled expired; BackOff recurred');
  await f.clock.advance(9 * minute - 1);
  assert.equal(f.registry.events.list('default').items.length, 1);
  await f.clock.advance(1);
  assert.equal(f.registry.events.list('default').items.length, 0);
  assert.deepEqual(f.logs, []);
});

test('event-ttl deletes at start the events that expired while it was stopped', async (t) => {
  const f = controllerFixture(t);
  const rec = new EventRecorder(f.client.events, { component: 'kubelet' }, () => f.clock.now());
  const first = await f.run([eventTtlController]);
  rec.record(pod, 'Normal', 'Pulled', 'pulled');
  first.stop();
  f.clock.step(eventTtlMs + minute);
  rec.record(pod, 'Normal', 'Started', 'started');
  await f.run([eventTtlController]);
  assert.deepEqual(f.registry.events.list('default').items.map((e) => e.reason), ['Started']);
});

test('event-ttl keeps an event whose last occurrence was refreshed until an hour after the refresh', async (t) => {
  const f = controllerFixture(t);
  const ev = f.client.events.create({
    metadata: { namespace: 'default', name: 'old' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
    reason: 'Old',
    lastTimestamp: rfc3339(f.clock.now() - eventTtlMs - minute),
  });
  f.client.events.update({ ...ev, lastTimestamp: rfc3339(f.clock.now()) });
  await f.run([eventTtlController]);
  assert.equal(f.registry.events.list('default').items.length, 1);
  await f.clock.advance(eventTtlMs);
  assert.equal(f.registry.events.list('default').items.length, 0);
});
