import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { controllerFixture } from '../controller-fixture.ts';
import { descriptionAnnotation, plannedRootCAConfigMap, rootCADescription, rootCAPublisher } from './root-ca-publisher.ts';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const publisher = rootCAPublisher(() => ca);

test('plannedRootCAConfigMap creates, leaves a matching one alone, and restores data and the description', () => {
  assert.deepEqual(plannedRootCAConfigMap(undefined, ca), {
    metadata: { name: 'kube-root-ca.crt', annotations: { [descriptionAnnotation]: rootCADescription } },
    data: { 'ca.crt': ca },
  });
  const good: ConfigMap = { metadata: { name: 'kube-root-ca.crt', annotations: { [descriptionAnnotation]: 'mine' } }, data: { 'ca.crt': ca } };
  assert.equal(plannedRootCAConfigMap(good, ca), undefined);
  const changed = plannedRootCAConfigMap({ ...good, data: { 'ca.crt': 'x', extra: 'y' } }, ca);
  assert.deepEqual(changed?.data, { 'ca.crt': ca });
  assert.equal(changed?.metadata?.annotations?.[descriptionAnnotation], 'mine');
});

test('root-ca-cert-publisher publishes kube-root-ca.crt in every namespace, new ones included', async (t) => {
  const f = controllerFixture(t);
  await f.run([publisher]);
  const cms = f.client.resource('configmaps');
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    assert.equal(cms.get(ns, 'kube-root-ca.crt')!.data?.['ca.crt'], ca, ns);
  }
  f.client.resource('namespaces').create(undefined, { metadata: { name: 'team' } });
  await f.clock.settle();
  assert.equal(cms.get('team', 'kube-root-ca.crt')!.metadata?.annotations?.[descriptionAnnotation], rootCADescription);
});

test('root-ca-cert-publisher re-creates the ConfigMap when deleted and restores it when changed', async (t) => {
  const f = controllerFixture(t);
  await f.run([publisher]);
  const cms = f.client.resource('configmaps');
  cms.delete('default', 'kube-root-ca.crt');
  await f.clock.settle();
  assert.equal(cms.get('default', 'kube-root-ca.crt')!.data?.['ca.crt'], ca);
  const cur = cms.get('default', 'kube-root-ca.crt')!;
  cms.update('default', { ...cur, metadata: { ...cur.metadata, labels: { mine: 'yes' } }, data: { 'ca.crt': 'forged' } });
  await f.clock.settle();
  const back = cms.get('default', 'kube-root-ca.crt')!;
  assert.equal(back.data?.['ca.crt'], ca);
  assert.deepEqual(back.metadata?.labels, { mine: 'yes' });
});

test('root-ca-cert-publisher publishes nothing without a CA', async (t) => {
  const f = controllerFixture(t);
  await f.run([rootCAPublisher(() => undefined)]);
  assert.equal(f.client.resource('configmaps').list(undefined).items.length, 0);
});
