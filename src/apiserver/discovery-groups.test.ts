/**
 * A kind declared once is routed, listed by discovery (aggregated and legacy)
 * and published in OpenAPI: the smallest named group, added to the served
 * groups the way api/groups.ts adds one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { apiGroups } from '../api/groups.ts';
import type { ApiGroup, Kind } from '../api/kind.ts';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { ApiServer } from './apiserver.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';

const token = 't';
const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });

const widgetKind: Kind = {
  info: {
    group: 'example.berth.dev',
    version: 'v1',
    resource: 'widgets',
    singular: 'widget',
    kind: 'Widget',
    listKind: 'WidgetList',
    namespaced: true,
    shortNames: ['wd'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  },
  strategy: {
    selectableFields: [],
    fields: () => ({}),
    prepareForCreate() {},
    validate: () => [],
    prepareForUpdate() {},
    validateUpdate: () => [],
  },
};
const exampleGroup: ApiGroup = { name: 'example.berth.dev', version: 'v1', kinds: [widgetKind] };

function get(port: number, path: string, accept = 'application/json', method = 'GET', body?: string): Promise<{ status: number; body: any; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers: { Authorization: `Bearer ${token}`, Accept: accept, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a kind declared in a group table is routed, discovered and published in OpenAPI', async (t) => {
  const { registry } = memoryRegistry(t, [...apiGroups, exampleGroup]);
  const api = new ApiServer({ registry, token, tls: serving });
  const port = await api.start();
  t.after(() => api.stop());

  const created = await get(port, '/apis/example.berth.dev/v1/namespaces/default/widgets', 'application/json', 'POST', JSON.stringify({ metadata: { name: 'w1' } }));
  assert.equal(created.status, 201);
  assert.equal(created.body.apiVersion, 'example.berth.dev/v1');
  assert.equal(created.body.kind, 'Widget');
  const listed = await get(port, '/apis/example.berth.dev/v1/namespaces/default/widgets');
  assert.deepEqual(listed.body.items.map((w: any) => w.metadata.name), ['w1']);
  assert.equal(listed.body.kind, 'WidgetList');
  // The group is served under /apis only, the core group under /api only.
  assert.equal((await get(port, '/api/v1/namespaces/default/widgets')).status, 404);
  assert.equal((await get(port, '/apis/example.berth.dev/v1/namespaces/default/pods')).status, 404);

  const aggregated = await get(port, '/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  // After the groups api/groups.ts serves, in table order.
  const groupNames = aggregated.body.items.map((i: any) => i.metadata.name);
  assert.deepEqual(groupNames, [...apiGroups.filter((g) => g.name !== '').map((g) => g.name), 'example.berth.dev']);
  const widgets = aggregated.body.items.at(-1).versions[0].resources[0];
  assert.equal(widgets.resource, 'widgets');
  assert.deepEqual(widgets.shortNames, ['wd']);
  assert.deepEqual(widgets.subresources.map((s: any) => s.subresource), ['status']);
  const core = await get(port, '/api', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.ok(!core.body.items[0].versions[0].resources.some((r: any) => r.resource === 'widgets'));

  const groups = await get(port, '/apis');
  assert.deepEqual(groups.body.groups.slice(-1), [
    { name: 'example.berth.dev', versions: [{ groupVersion: 'example.berth.dev/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.berth.dev/v1', version: 'v1' } },
  ]);
  assert.equal((await get(port, '/apis/example.berth.dev')).body.kind, 'APIGroup');
  const resources = await get(port, '/apis/example.berth.dev/v1');
  assert.equal(resources.body.groupVersion, 'example.berth.dev/v1');
  assert.deepEqual(resources.body.resources.map((r: any) => r.name), ['widgets', 'widgets/status']);
  assert.equal((await get(port, '/apis/example.berth.dev/v2')).status, 404);

  const root = await get(port, '/openapi/v3');
  assert.deepEqual(Object.keys(root.body.paths), [
    'api/v1',
    ...apiGroups.filter((g) => g.name !== '').map((g) => `apis/${g.name}/${g.version}`),
    'apis/example.berth.dev/v1',
  ]);
  const doc = await get(port, '/openapi/v3/apis/example.berth.dev/v1');
  const patch = doc.body.paths['/apis/example.berth.dev/v1/namespaces/{namespace}/widgets/{name}'].patch;
  assert.equal(patch.operationId, 'patchExampleBerthDevV1NamespacedWidget');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'example.berth.dev', version: 'v1', kind: 'Widget' });
});
