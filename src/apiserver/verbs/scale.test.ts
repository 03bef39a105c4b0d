import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApiServer } from '../api-server-fixture.ts';
import { ownerWithScale, scaleOf, scalePrinter, validateScale } from './scale.ts';

const base = '/apis/apps/v1/namespaces/default';

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
    },
  };
}

function replicaSet(name: string, replicas: number) {
  return { ...deployment(name, replicas), kind: 'ReplicaSet' };
}

test('scaleOf carries the owner identity, omits spec.replicas at 0 and writes the selector as text', () => {
  const owner = {
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', labels: { a: 'b' } },
    spec: { replicas: 0, selector: { matchLabels: { tier: 'front', app: 'web' } } },
    status: { replicas: 2 },
  };
  assert.deepEqual(scaleOf(owner), {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: {},
    status: { replicas: 2, selector: 'app=web,tier=front' },
  });
});

test('validateScale refuses negative replicas with upstream wording', () => {
  const errs = validateScale({ metadata: { name: 'web' }, spec: { replicas: -1 } });
  assert.deepEqual(errs.map((e) => [e.field, e.value, e.detail]), [['spec.replicas', -1, 'must be greater than or equal to 0']]);
});

test('ownerWithScale sets replicas, pins the Scale resourceVersion and refuses another uid', () => {
  const owner = { metadata: { name: 'web', uid: 'u1', resourceVersion: '9' }, spec: { replicas: 1, selector: {} } };
  const next = ownerWithScale(owner, { metadata: { name: 'web', resourceVersion: '5' }, spec: { replicas: 4 } }, 'deployments', 'apps');
  assert.equal(next.spec.replicas, 4);
  assert.equal(next.metadata.resourceVersion, '5');
  assert.equal(owner.spec.replicas, 1, 'the owner passed in is not changed');
  assert.throws(
    () => ownerWithScale(owner, { metadata: { name: 'web', uid: 'other' }, spec: { replicas: 4 } }, 'deployments', 'apps'),
    /Operation cannot be fulfilled on deployments\/scale\.apps "web": Precondition failed: UID in precondition: other, UID in object meta: u1/,
  );
});

test('GET deployments/NAME/scale answers the autoscaling/v1 Scale of the deployment', async (t) => {
  const { call } = await startApiServer(t);
  const created = await call('POST', `${base}/deployments`, JSON.stringify(deployment('web', 2)));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const got = await call('GET', `${base}/deployments/web/scale`);
  assert.equal(got.status, 200);
  assert.equal(got.body.kind, 'Scale');
  assert.equal(got.body.apiVersion, 'autoscaling/v1');
  assert.equal(got.body.metadata.uid, created.body.metadata.uid);
  assert.equal(got.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
  assert.deepEqual(got.body.spec, { replicas: 2 });
  assert.deepEqual(got.body.status, { replicas: 0, selector: 'app=web' });
  const missing = await call('GET', `${base}/deployments/nope/scale`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'deployments/scale.apps "nope" not found');
});

test('PATCH deployments/NAME/scale (merge, as kubectl scale sends it) updates spec.replicas of the deployment', async (t) => {
  const { call } = await startApiServer(t);
  await call('POST', `${base}/deployments`, JSON.stringify(deployment('web', 1)));
  const patched = await call('PATCH', `${base}/deployments/web/scale`, '{"spec":{"replicas":3}}', 'application/merge-patch+json');
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(patched.body.spec, { replicas: 3 });
  const owner = await call('GET', `${base}/deployments/web`);
  assert.equal(owner.body.spec.replicas, 3);
  assert.equal(owner.body.metadata.generation, 2);
  assert.equal(patched.body.metadata.resourceVersion, owner.body.metadata.resourceVersion);
  const jsonPatched = await call('PATCH', `${base}/deployments/web/scale`, '[{"op":"replace","path":"/spec/replicas","value":5}]', 'application/json-patch+json');
  assert.deepEqual(jsonPatched.body.spec, { replicas: 5 });
  const smp = await call('PATCH', `${base}/deployments/web/scale`, '{"spec":{"replicas":0}}', 'application/strategic-merge-patch+json');
  assert.deepEqual(smp.body.spec, {});
  assert.equal((await call('GET', `${base}/deployments/web`)).body.spec.replicas, 0);
});

test('PUT replicasets/NAME/scale updates the replicaset and is 409 with a stale resourceVersion', async (t) => {
  const { call } = await startApiServer(t);
  const created = await call('POST', `${base}/replicasets`, JSON.stringify(replicaSet('x', 2)));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const rv = created.body.metadata.resourceVersion;
  const put = await call('PUT', `${base}/replicasets/x/scale`, JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'x', resourceVersion: rv }, spec: { replicas: 0 } }));
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body.spec, {});
  assert.equal((await call('GET', `${base}/replicasets/x`)).body.spec.replicas, 0);
  const stale = await call('PUT', `${base}/replicasets/x/scale`, JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'x', resourceVersion: rv }, spec: { replicas: 4 } }));
  assert.equal(stale.status, 409);
  assert.equal(stale.body.reason, 'Conflict');
  assert.match(stale.body.message, /^Operation cannot be fulfilled on replicasets\.apps "x": the object has been modified/);
});

test('a Scale with negative replicas is 422 Scale.autoscaling invalid, and the deployment keeps its replicas', async (t) => {
  const { call } = await startApiServer(t);
  await call('POST', `${base}/deployments`, JSON.stringify(deployment('web', 2)));
  const put = await call('PUT', `${base}/deployments/web/scale`, JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: -1 } }));
  assert.equal(put.status, 422);
  assert.equal(put.body.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.equal(put.body.details.kind, 'Scale');
  assert.equal(put.body.details.group, 'autoscaling');
  const patch = await call('PATCH', `${base}/deployments/web/scale`, '{"spec":{"replicas":-1}}', 'application/merge-patch+json');
  assert.equal(patch.status, 422);
  assert.equal((await call('GET', `${base}/deployments/web`)).body.spec.replicas, 2);
});

test('a Scale body of another kind or with non-integer replicas is a 400', async (t) => {
  const { call } = await startApiServer(t);
  await call('POST', `${base}/deployments`, JSON.stringify(deployment('web', 2)));
  const wrongKind = await call('PUT', `${base}/deployments/web/scale`, JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Deployment', metadata: { name: 'web' } }));
  assert.equal(wrongKind.status, 400);
  const str = await call('PUT', `${base}/deployments/web/scale`, JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 'three' } }));
  assert.equal(str.status, 400);
  assert.match(str.body.message, /cannot unmarshal string into Go struct field ScaleSpec\.spec\.replicas of type int32/);
});

test('daemonsets have no scale subresource, and scale has no delete', async (t) => {
  const { call } = await startApiServer(t);
  assert.equal((await call('GET', `${base}/daemonsets/d/scale`)).status, 404);
  await call('POST', `${base}/deployments`, JSON.stringify(deployment('web', 2)));
  assert.equal((await call('DELETE', `${base}/deployments/web/scale`)).status, 405);
});

test('discovery lists deployments/scale as autoscaling/v1 Scale, aggregated and legacy', async (t) => {
  const { call, raw } = await startApiServer(t);
  const legacy = await call('GET', '/apis/apps/v1');
  const entry = legacy.body.resources.find((r: any) => r.name === 'deployments/scale');
  assert.deepEqual(entry, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  const status = legacy.body.resources.find((r: any) => r.name === 'deployments/status');
  assert.deepEqual(status, { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] });
  const agg = await raw('GET', '/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  const apps = JSON.parse(agg.text).items.find((g: any) => g.metadata.name === 'apps');
  const rs = apps.versions[0].resources.find((r: any) => r.resource === 'replicasets');
  assert.deepEqual(rs.subresources.find((s: any) => s.subresource === 'scale'), {
    subresource: 'scale',
    responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    verbs: ['get', 'patch', 'update'],
  });
});

test('scalePrinter prints printScale columns: desired from the spec, available from the status', () => {
  assert.deepEqual(scalePrinter.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Desired', 'integer'], ['Available', 'integer']]);
  assert.deepEqual(scalePrinter.cells({ metadata: { name: 'web' }, spec: {}, status: { replicas: 2 } }, 0), ['web', 0, 2]);
});
