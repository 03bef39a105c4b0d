import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerFixture } from '../controller-fixture.ts';
import { namespaceController } from './namespace.ts';

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...spec },
});

function boundPod(f: ReturnType<typeof controllerFixture>, ns: string, name: string, spec: Record<string, unknown> = {}): void {
  f.registry.pods.create(ns, pod(name, spec));
  f.registry.pods.internalUpdate(ns, name, (p) => ({ ...p, spec: { ...p.spec!, nodeName: 'node1' } }));
}

test('namespace controller deletes configmaps at once, pods gracefully, and the namespace after the last pod', async (t) => {
  const f = controllerFixture(t);
  const { registry } = f;
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  registry.configmaps.create('demo', { metadata: { name: 'c' }, data: { a: 'b' } });
  registry.secrets.create('demo', { metadata: { name: 's' }, stringData: { a: 'b' } });
  boundPod(f, 'demo', 'p');
  await f.run([namespaceController]);
  registry.namespaces.delete(undefined, 'demo');
  await f.clock.settle();

  assert.equal(registry.configmaps.find('demo', 'c'), undefined);
  assert.equal(registry.secrets.find('demo', 's'), undefined);
  const terminating = registry.pods.get('demo', 'p');
  assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(registry.namespaces.find(undefined, 'demo'), 'the namespace waits for its pods');

  // The node finishes the pod (grace 0), then the namespace goes.
  registry.pods.delete('demo', 'p', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  assert.equal(registry.namespaces.find(undefined, 'demo'), undefined);
  assert.deepEqual(f.logs, []);
});

test('namespace controller keeps the namespace while a finalizer holds one of its objects', async (t) => {
  const f = controllerFixture(t);
  const { registry } = f;
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  registry.configmaps.create('demo', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  await f.run([namespaceController]);
  registry.namespaces.delete(undefined, 'demo');
  await f.clock.settle();

  assert.ok(registry.configmaps.get('demo', 'held').metadata.deletionTimestamp);
  assert.ok(registry.namespaces.find(undefined, 'demo'), 'the namespace waits for the held configmap');

  registry.configmaps.patch('demo', 'held', (c) => ({ ...c, metadata: { ...c.metadata, finalizers: [] } }));
  // Objects held by finalizers are looked at again after half of 15 s, plus one.
  await f.clock.advance(7_999);
  assert.ok(registry.namespaces.find(undefined, 'demo'));
  await f.clock.advance(1);
  assert.equal(registry.namespaces.find(undefined, 'demo'), undefined);
});

test('namespace controller looks again after half the pods grace period, and retries with backoff once that passed', async (t) => {
  const f = controllerFixture(t);
  const { registry } = f;
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  boundPod(f, 'demo', 'slow', { terminationGracePeriodSeconds: 10 });
  await f.run([namespaceController]);
  registry.namespaces.delete(undefined, 'demo');
  await f.clock.advance(6_000);
  assert.deepEqual(f.logs, [], 'within the grace period, remaining pods are expected');
  await f.clock.advance(6_000);
  assert.match(f.logs[0] ?? '', /^namespace: syncing "demo" failed, will retry: unexpected items still remain in namespace: demo for gvr: v1, Resource=pods$/);
  assert.ok(registry.namespaces.find(undefined, 'demo'));
  registry.pods.delete('demo', 'slow', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  assert.equal(registry.namespaces.find(undefined, 'demo'), undefined);
});

test('namespace controller finishes at start a namespace that began terminating before it stopped', async (t) => {
  const f = controllerFixture(t);
  const { registry } = f;
  registry.namespaces.create(undefined, { metadata: { name: 'demo' } });
  boundPod(f, 'demo', 'p');
  const first = await f.run([namespaceController]);
  registry.namespaces.delete(undefined, 'demo');
  await f.clock.settle();
  first.stop();
  registry.configmaps.create('default', { metadata: { name: 'unrelated' } });
  registry.pods.delete('demo', 'p', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  assert.ok(registry.namespaces.find(undefined, 'demo'), 'nothing runs while stopped');
  await f.run([namespaceController]);
  assert.equal(registry.namespaces.find(undefined, 'demo'), undefined);
  assert.ok(registry.configmaps.find('default', 'unrelated'), 'other namespaces are untouched');
});

test('namespace controller leaves namespaces that are not terminating, and ones finalized already, alone', async (t) => {
  const f = controllerFixture(t);
  const { registry } = f;
  registry.namespaces.create(undefined, { metadata: { name: 'live' } });
  registry.configmaps.create('live', { metadata: { name: 'c' } });
  registry.namespaces.create(undefined, { metadata: { name: 'other', finalizers: ['example.com/hold'] } });
  registry.configmaps.create('other', { metadata: { name: 'c' } });
  registry.namespaces.delete(undefined, 'other');
  f.client.namespaces.finalize({ ...registry.namespaces.get(undefined, 'other'), spec: { finalizers: [] } });
  await f.run([namespaceController]);
  assert.ok(registry.configmaps.find('live', 'c'));
  assert.ok(registry.configmaps.find('other', 'c'), 'without the kubernetes finalizer the content is not ours to delete');
});
