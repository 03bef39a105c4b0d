import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer } from '../api-server-fixture.ts';

const cm = '/api/v1/namespaces/default/configmaps';

test('DELETE reads propagationPolicy from the DeleteOptions body, as kubectl --cascade sends it', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'o' } });
  const r = await call('DELETE', `${cm}/o`, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' }));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.metadata.finalizers, ['foregroundDeletion']);
  assert.ok(r.body.metadata.deletionTimestamp);
});

test('DELETE reads propagationPolicy and orphanDependents from the query when there is no body', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'a' } });
  registry.configmaps.create('default', { metadata: { name: 'b' } });
  assert.deepEqual((await call('DELETE', `${cm}/a?propagationPolicy=Orphan`)).body.metadata.finalizers, ['orphan']);
  assert.deepEqual((await call('DELETE', `${cm}/b?orphanDependents=true`)).body.metadata.finalizers, ['orphan']);
});

test('DELETE answers 202 for an object left terminating with orphanDependents=false', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'held', finalizers: ['example.com/x'] } });
  const r = await call('DELETE', `${cm}/held`, JSON.stringify({ orphanDependents: false }));
  assert.equal(r.status, 202);
  assert.deepEqual(r.body.metadata.finalizers, ['example.com/x']);
});

test('DELETE refuses orphanDependents with propagationPolicy, and an unknown policy, with kube-apiserver texts', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'c' } });
  const both = await call('DELETE', `${cm}/c`, JSON.stringify({ orphanDependents: true, propagationPolicy: 'Orphan' }));
  assert.equal(both.status, 422);
  assert.equal(both.body.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set');
  const bogus = await call('DELETE', `${cm}/c?propagationPolicy=Sometimes`);
  assert.equal(bogus.status, 422);
  assert.equal(bogus.body.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"');
  assert.ok(registry.configmaps.find('default', 'c'));
});

test('DELETECOLLECTION applies the propagation policy to every object', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'x', labels: { app: 'a' } } });
  registry.configmaps.create('default', { metadata: { name: 'y', labels: { app: 'a' } } });
  const r = await call('DELETE', `${cm}?labelSelector=app%3Da`, JSON.stringify({ propagationPolicy: 'Orphan' }));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((o: any) => o.metadata.finalizers), [['orphan'], ['orphan']]);
  assert.deepEqual(registry.configmaps.get('default', 'x').metadata.finalizers, ['orphan']);
});

test('DELETE refuses DeleteOptions fields of the wrong JSON type with encoding/json’s text', async (t) => {
  const { registry, call } = await startApiServer(t);
  registry.configmaps.create('default', { metadata: { name: 'c' } });
  const policy = await call('DELETE', `${cm}/c`, JSON.stringify({ propagationPolicy: 1 }));
  assert.equal(policy.status, 400);
  assert.equal(policy.body.message, 'json: cannot unmarshal number into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation');
  const orphan = await call('DELETE', `${cm}/c`, JSON.stringify({ orphanDependents: 'yes' }));
  assert.equal(orphan.status, 400);
  assert.equal(orphan.body.message, 'json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool');
  const cases: [object, string][] = [
    [{ preconditions: { uid: { toString: 'x' } } }, 'json: cannot unmarshal object into Go struct field Preconditions.preconditions.uid of type types.UID'],
    [{ preconditions: { resourceVersion: 7 } }, 'json: cannot unmarshal number into Go struct field Preconditions.preconditions.resourceVersion of type string'],
    [{ preconditions: 'x' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.preconditions of type v1.Preconditions'],
    [{ gracePeriodSeconds: '5' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64'],
    [{ dryRun: 'All' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string'],
  ];
  for (const [body, message] of cases) {
    const r = await call('DELETE', `${cm}/c`, JSON.stringify(body));
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.message, message);
  }
  assert.ok(registry.configmaps.find('default', 'c'));
});
