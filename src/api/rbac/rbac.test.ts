import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import { startApiServer } from '../../apiserver/api-server-fixture.ts';
import { tableFromPrinter } from '../printers/table.ts';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateRole,
  validateRoleBinding,
} from '../validation/rbac.ts';
import { roleBindingPrinter, rolePrinter } from './rbac-printer.ts';

const msgs = (errs: ReturnType<typeof validateRole>) => errs.map(renderFieldError);
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });

test('role validation refuses rules without verbs, apiGroups or resources, as ValidatePolicyRule', () => {
  assert.deepEqual(msgs(validateRole({ metadata: meta('r', 'default'), rules: [{ resources: ['pods'] }] })), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
  assert.deepEqual(msgs(validateRole({ metadata: meta('r', 'default'), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'services'], resourceNames: ['a'] }] })), [
    'rules[0].resourceNames: Required value: resource names cannot apply to multiple resources',
  ]);
});

test('nonResourceURLs are refused in a Role and beside resources, allowed alone in a ClusterRole', () => {
  assert.deepEqual(msgs(validateRole({ metadata: meta('r', 'default'), rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] })), [
    'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  assert.deepEqual(msgs(validateClusterRole({ metadata: meta('c'), rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }] })), [
    'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
  ]);
  assert.deepEqual(validateClusterRole({ metadata: meta('c'), rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] }] }), []);
});

test('cluster role aggregationRule needs a selector; names may not contain a slash', () => {
  assert.deepEqual(msgs(validateClusterRole({ metadata: meta('a/b'), aggregationRule: { clusterRoleSelectors: [] } })), [
    `metadata.name: Invalid value: "a/b": may not contain '/'`,
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('binding validation checks roleRef kind and subjects as upstream', () => {
  const rb = {
    metadata: meta('b', 'default'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Pod', name: 'x' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'x' }, { kind: 'Robot', name: 'r' }],
  };
  assert.deepEqual(msgs(validateRoleBinding(rb)), [
    'roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"',
    'subjects[0].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
    `subjects[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'subjects[1].apiGroup: Unsupported value: "x": supported values: ""',
    'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const crb = { metadata: meta('c'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] };
  assert.deepEqual(msgs(validateClusterRoleBinding(crb)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
});

test('a binding refuses a roleRef change with the internal RoleRef printed', () => {
  const old = { metadata: { ...meta('c'), resourceVersion: '1' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } };
  const next = { ...old, roleRef: { ...old.roleRef, name: 'edit' } };
  assert.deepEqual(msgs(validateClusterRoleBindingUpdate(next, old)), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  ]);
});

test('printers show CREATED AT for roles and ROLE plus wide subjects for bindings', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const roles = tableFromPrinter(rolePrinter, [{ metadata: { name: 'r', creationTimestamp: '2026-01-01T00:00:00Z' } }], { now } as never);
  assert.deepEqual(roles.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);
  assert.deepEqual(roles.rows[0].cells, ['r', '2026-01-01T00:00:00Z']);
  const rb = {
    metadata: { name: 'b', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
    roleRef: { kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', namespace: 'default', name: 'default' }, { kind: 'User', name: 'joe' }],
  };
  const t = tableFromPrinter(roleBindingPrinter, [rb], { now } as never);
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority]), [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
  assert.deepEqual(t.rows[0].cells, ['b', 'Role/pod-reader', '10m', 'jane, joe', 'devs', 'default/default']);
});

test('the API serves the four kinds and defaults the subjects apiGroup', async (t) => {
  const { call } = await startApiServer(t);
  const role = await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }));
  assert.equal(role.status, 201, JSON.stringify(role.body));
  const rb = await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'jane' }, roleRef: { kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'jane' }] }));
  assert.equal(rb.status, 201, JSON.stringify(rb.body));
  assert.deepEqual(rb.body.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
  assert.equal(rb.body.subjects[0].apiGroup, 'rbac.authorization.k8s.io');
  const bad = await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' }, rules: [{ resources: ['pods'], verbs: ['get'] }] }));
  assert.equal(bad.status, 422);
  assert.match(bad.body.message, /ClusterRole.rbac.authorization.k8s.io "x" is invalid: rules\[0\].apiGroups: Required value: resource rules must supply at least one api group/);
  const crbs = await call('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings');
  assert.equal(crbs.status, 200);
  assert.equal(crbs.body.kind, 'ClusterRoleBindingList');
});
