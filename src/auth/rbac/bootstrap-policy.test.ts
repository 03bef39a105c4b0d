import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';

/*
 * The shipped part of kube-apiserver v1.33's bootstrap policy with default
 * feature gates, written out in the form of upstream's golden files
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml
 * and cluster-role-bindings.yaml): every list sorted, rules in policy.go's
 * order. Left out on purpose because they are not in v1.33's default policy:
 * resource.k8s.io rules in edit/view (DynamicResourceAllocation, off by
 * default in 1.33), /statusz in system:monitoring (ComponentStatusz, alpha),
 * nodes/metrics in system:monitoring (1.34), events.k8s.io events (1.35).
 */

const R = ['get', 'list', 'watch'];
const W = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const res = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

const defaults = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const autoupdate = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const selector = (to: string) => ({ clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' } }] });

interface Golden {
  name: string;
  labels: Record<string, string>;
  aggregationRule?: ReturnType<typeof selector>;
  rules?: PolicyRule[];
}

const goldenRoles: Golden[] = [
  { name: 'cluster-admin', labels: defaults, rules: [res(['*'], ['*'], ['*']), urls(['*'], ['*'])] },
  {
    name: 'system:discovery',
    labels: defaults,
    rules: [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])],
  },
  {
    name: 'system:monitoring',
    labels: defaults,
    rules: [urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])],
  },
  {
    name: 'system:basic-user',
    labels: defaults,
    rules: [res(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']), res(['authentication.k8s.io'], ['selfsubjectreviews'], ['create'])],
  },
  { name: 'system:public-info-viewer', labels: defaults, rules: [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])] },
  { name: 'admin', labels: defaults, aggregationRule: selector('admin') },
  { name: 'edit', labels: { ...defaults, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, aggregationRule: selector('edit') },
  { name: 'view', labels: { ...defaults, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, aggregationRule: selector('view') },
  {
    name: 'system:aggregate-to-admin',
    labels: { ...defaults, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    rules: [res(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']), res(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], RW)],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { ...defaults, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    rules: [
      res([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], R),
      res([''], ['serviceaccounts'], ['impersonate']),
      res([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], W),
      res([''], ['pods/eviction'], ['create']),
      res([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], W),
      res([''], ['serviceaccounts/token'], ['create']),
      res(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], W),
      res(['autoscaling'], ['horizontalpodautoscalers'], W),
      res(['batch'], ['cronjobs', 'jobs'], W),
      res(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], W),
      res(['policy'], ['poddisruptionbudgets'], W),
      res(['networking.k8s.io'], ['ingresses', 'networkpolicies'], W),
      res(['coordination.k8s.io'], ['leases'], RW),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { ...defaults, 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    rules: [
      res([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], R),
      res([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], R),
      res([''], ['namespaces'], R),
      res(['discovery.k8s.io'], ['endpointslices'], R),
      res(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], R),
      res(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], R),
      res(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], R),
      res(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], R),
      res(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], R),
      res(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], R),
    ],
  },
  {
    name: 'system:auth-delegator',
    labels: defaults,
    rules: [res(['authentication.k8s.io'], ['tokenreviews'], ['create']), res(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])],
  },
  {
    name: 'system:service-account-issuer-discovery',
    labels: defaults,
    rules: [urls(['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], ['get'])],
  },
];

const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });
const goldenBindings: { name: string; subjects: ReturnType<typeof group>[] }[] = [
  { name: 'cluster-admin', subjects: [group('system:masters')] },
  { name: 'system:monitoring', subjects: [group('system:monitoring')] },
  { name: 'system:discovery', subjects: [group('system:authenticated')] },
  { name: 'system:basic-user', subjects: [group('system:authenticated')] },
  { name: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')] },
  { name: 'system:service-account-issuer-discovery', subjects: [group('system:serviceaccounts')] },
];

test('bootstrap policy ships exactly the v1.33 ClusterRoles berth keeps, in policy.go order', () => {
  assert.deepEqual(bootstrapClusterRoles().map((r) => r.metadata?.name), goldenRoles.map((g) => g.name));
});

for (const golden of goldenRoles) {
  test(`bootstrap ClusterRole ${golden.name} matches v1.33 rule for rule`, () => {
    const role = bootstrapClusterRoles().find((r) => r.metadata?.name === golden.name)!;
    assert.equal(role.apiVersion, 'rbac.authorization.k8s.io/v1');
    assert.equal(role.kind, 'ClusterRole');
    assert.deepEqual(role.metadata, { name: golden.name, labels: golden.labels, annotations: autoupdate });
    assert.deepEqual(role.aggregationRule, golden.aggregationRule);
    assert.deepEqual(role.rules, golden.rules);
  });
}

test('bootstrap ClusterRoleBindings match v1.33: names, roleRefs, subjects, labels and annotations', () => {
  const bindings = bootstrapClusterRoleBindings();
  assert.deepEqual(bindings.map((b) => b.metadata?.name), goldenBindings.map((g) => g.name));
  for (const golden of goldenBindings) {
    const b = bindings.find((x) => x.metadata?.name === golden.name)!;
    assert.equal(b.apiVersion, 'rbac.authorization.k8s.io/v1');
    assert.equal(b.kind, 'ClusterRoleBinding');
    assert.deepEqual(b.metadata, { name: golden.name, labels: defaults, annotations: autoupdate }, golden.name);
    assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: golden.name }, golden.name);
    assert.deepEqual(b.subjects, golden.subjects, golden.name);
  }
});

test('every bootstrap role binding points at a shipped ClusterRole', () => {
  const roles = new Set(bootstrapClusterRoles().map((r) => r.metadata?.name));
  for (const b of bootstrapClusterRoleBindings()) assert.ok(roles.has(b.roleRef.name), b.roleRef.name);
});
