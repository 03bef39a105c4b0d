import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { inProcessClient } from '../../client/client.ts';
import { memoryRegistry } from '../../registry/registry-fixture.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';
import { reconcileBootstrapPolicy, reconcileClusterRole, reconcileClusterRoleBinding } from './reconcile.ts';

function setup(t: { after(fn: () => void): void }) {
  const { registry } = memoryRegistry(t);
  return inProcessClient(registry);
}

test('bootstrap policy creates the default roles and bindings, then does nothing on the next start', (t) => {
  const client = setup(t);
  const first = reconcileBootstrapPolicy(client);
  assert.equal(first.created.length, bootstrapClusterRoles().length + bootstrapClusterRoleBindings().length);
  const names = client.resource('clusterroles').list(undefined).items.map((r) => r.metadata?.name);
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:aggregate-to-view']) assert.ok(names.includes(n), n);
  const admin = client.resource('clusterroles').get(undefined, 'cluster-admin')!;
  assert.deepEqual(admin.metadata?.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  assert.deepEqual(admin.metadata?.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
  const edit = client.resource('clusterroles').get(undefined, 'edit')!;
  assert.deepEqual(edit.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] });
  assert.equal(edit.metadata?.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
  const piv = client.resource('clusterrolebindings').get(undefined, 'system:public-info-viewer')!;
  assert.deepEqual(piv.subjects?.map((s) => s.name), ['system:authenticated', 'system:unauthenticated']);
  const masters = client.resource('clusterrolebindings').get(undefined, 'cluster-admin')!;
  assert.deepEqual(masters.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);

  const rv = client.resource('clusterroles').list(undefined).resourceVersion;
  assert.deepEqual(reconcileBootstrapPolicy(client), { created: [], updated: [], skippedProtected: [] });
  assert.equal(client.resource('clusterroles').list(undefined).resourceVersion, rv, 'nothing written');
});

test('bootstrap policy adds missing rules and subjects but keeps what users added', (t) => {
  const client = setup(t);
  reconcileBootstrapPolicy(client);
  const roles = client.resource('clusterroles');
  const view = roles.get(undefined, 'system:aggregate-to-view')!;
  const trimmed: ClusterRole = { ...view, rules: [...view.rules!.slice(1), { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] };
  roles.update(undefined, trimmed);
  const crbs = client.resource('clusterrolebindings');
  const piv = crbs.get(undefined, 'system:public-info-viewer')!;
  crbs.update(undefined, { ...piv, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }] });

  const report = reconcileBootstrapPolicy(client);
  assert.deepEqual(report.updated, ['clusterrole/system:aggregate-to-view', 'clusterrolebinding/system:public-info-viewer']);
  const after = roles.get(undefined, 'system:aggregate-to-view')!;
  assert.ok(after.rules!.some((r) => r.apiGroups?.[0] === 'example.com'), 'the added rule stays');
  // The first rule came back, broken down to one verb and resource each.
  assert.ok(after.rules!.some((r) => r.resources?.[0] === 'pods' && r.verbs[0] === 'get' && r.apiGroups?.[0] === ''));
  assert.deepEqual(crbs.get(undefined, 'system:public-info-viewer')!.subjects!.map((s) => s.name), ['jane', 'system:authenticated', 'system:unauthenticated']);
});

test('bootstrap policy leaves objects annotated autoupdate=false alone', (t) => {
  const client = setup(t);
  reconcileBootstrapPolicy(client);
  const roles = client.resource('clusterroles');
  const basic = roles.get(undefined, 'system:basic-user')!;
  roles.update(undefined, { ...basic, metadata: { ...basic.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] });
  const report = reconcileBootstrapPolicy(client);
  assert.deepEqual(report.skippedProtected, ['clusterrole/system:basic-user']);
  assert.deepEqual(roles.get(undefined, 'system:basic-user')!.rules, []);
});

test('a ClusterRole that lost its aggregationRule gets the selector back; labels are merged', () => {
  const expected = bootstrapClusterRoles().find((r) => r.metadata?.name === 'view')!;
  const r = reconcileClusterRole({ metadata: { name: 'view', labels: { team: 'a' } }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }, expected);
  assert.equal(r.operation, 'update');
  assert.deepEqual(r.object.aggregationRule, expected.aggregationRule);
  assert.deepEqual(r.object.metadata?.labels, { team: 'a', 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
  assert.deepEqual(r.object.rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], 'aggregated rules are the controller\'s');
});

test('a ClusterRoleBinding with another roleRef is recreated', () => {
  const expected = bootstrapClusterRoleBindings()[0];
  const r = reconcileClusterRoleBinding({ ...expected, roleRef: { ...expected.roleRef, name: 'view' } }, expected);
  assert.equal(r.operation, 'recreate');
  assert.equal(r.object.roleRef.name, 'cluster-admin');
});
