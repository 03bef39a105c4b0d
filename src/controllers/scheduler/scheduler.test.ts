import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerFixture, fixtureNodeName } from '../controller-fixture.ts';
import { schedulerController } from './scheduler.ts';

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...spec },
});

test('scheduler binds a new pod to the node with PodScheduled and records Scheduled from default-scheduler', async (t) => {
  const f = controllerFixture(t);
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('web'));
  await f.clock.settle();
  const bound = f.registry.pods.get('default', 'web');
  assert.equal(bound.spec?.nodeName, fixtureNodeName);
  assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  const events = f.registry.events.list('default').items;
  assert.equal(events.length, 1);
  assert.equal(events[0].reason, 'Scheduled');
  assert.equal(events[0].type, 'Normal');
  assert.equal(events[0].message, `Successfully assigned default/web to ${fixtureNodeName}`);
  assert.deepEqual(events[0].source, { component: 'default-scheduler' });
  assert.equal(events[0].involvedObject.uid, bound.metadata.uid);
});

test('scheduler leaves pods for another scheduler, bound pods and pods being deleted alone', async (t) => {
  const f = controllerFixture(t);
  f.registry.pods.create('default', { ...pod('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  f.registry.pods.delete('default', 'held');
  await f.run([schedulerController]);
  f.registry.pods.create('default', pod('other', { schedulerName: 'my-scheduler' }));
  f.registry.pods.create('default', pod('pinned', { nodeName: 'elsewhere' }));
  await f.clock.settle();
  assert.equal(f.registry.pods.get('default', 'other').spec?.nodeName, undefined);
  assert.equal(f.registry.pods.get('default', 'pinned').spec?.nodeName, 'elsewhere');
  assert.equal(f.registry.pods.get('default', 'held').spec?.nodeName, undefined);
  assert.equal(f.registry.events.list('default').items.length, 0);
});

test('scheduler binds at start the pods created while it was stopped', async (t) => {
  const f = controllerFixture(t);
  const first = await f.run([schedulerController]);
  first.stop();
  f.registry.pods.create('default', pod('early'));
  f.registry.pods.create('kube-system', pod('also'));
  await f.clock.settle();
  assert.equal(f.registry.pods.get('default', 'early').spec?.nodeName, undefined);
  await f.run([schedulerController]);
  assert.equal(f.registry.pods.get('default', 'early').spec?.nodeName, fixtureNodeName);
  assert.equal(f.registry.pods.get('kube-system', 'also').spec?.nodeName, fixtureNodeName);
});
