import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerFixture } from '../controller-fixture.ts';
import { serviceAccountController } from './serviceaccount.ts';

const defaults = (f: ReturnType<typeof controllerFixture>) =>
  f.client
    .resource('serviceaccounts')
    .list(undefined)
    .items.filter((sa) => sa.metadata?.name === 'default')
    .map((sa) => sa.metadata!.namespace)
    .sort();

test('serviceaccount creates default in every namespace, new ones included', async (t) => {
  const f = controllerFixture(t);
  await f.run([serviceAccountController]);
  assert.deepEqual(defaults(f), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'team' } });
  await f.clock.settle();
  assert.ok(defaults(f).includes('team'));
});

test('serviceaccount creates default again when it is deleted, and leaves other accounts alone', async (t) => {
  const f = controllerFixture(t);
  await f.run([serviceAccountController]);
  const sas = f.client.resource('serviceaccounts');
  sas.create('default', { metadata: { name: 'bot', namespace: 'default' } });
  const before = sas.get('default', 'default')!.metadata!.uid;
  sas.delete('default', 'default');
  await f.clock.settle();
  const after = sas.get('default', 'default')!;
  assert.notEqual(after.metadata!.uid, before);
  assert.ok(sas.get('default', 'bot'));
});

test('serviceaccount creates nothing in a terminating namespace', async (t) => {
  const f = controllerFixture(t);
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'going', finalizers: ['test/keep'] } });
  f.client.resource('namespaces').delete(undefined, 'going');
  await f.run([serviceAccountController]);
  assert.ok(!defaults(f).includes('going'));
});

test('serviceaccount rebuilds from the store after a restart', async (t) => {
  const f = controllerFixture(t);
  const first = await f.run([serviceAccountController]);
  first.stop();
  f.client.resource('serviceaccounts').delete('kube-public', 'default');
  await f.run([serviceAccountController]);
  assert.ok(defaults(f).includes('kube-public'));
});
