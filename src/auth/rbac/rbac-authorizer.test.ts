import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { Attributes } from '../authorizer.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import type { RbacSource } from './rule-resolver.ts';

/** upstream's newRule(verbs, apiGroups, resources, nonResourceURLs), comma-separated as strings.Split does ("" is [""]). */
function rule(verbs: string, groups: string, resources: string, urls: string): PolicyRule {
  return { verbs: verbs.split(','), apiGroups: groups.split(','), resources: resources.split(','), nonResourceURLs: urls.split(',') };
}

function subjects(...specs: string[]): Subject[] {
  return specs.map((s) => {
    const i = s.indexOf(':');
    return { kind: s.slice(0, i), name: s.slice(i + 1) };
  });
}

function source(o: { roles?: Role[]; clusterRoles?: ClusterRole[]; roleBindings?: RoleBinding[]; clusterRoleBindings?: ClusterRoleBinding[] }): RbacSource {
  return {
    getRole: (ns, name) => o.roles?.find((r) => r.metadata?.namespace === ns && r.metadata?.name === name),
    getClusterRole: (name) => o.clusterRoles?.find((r) => r.metadata?.name === name),
    listRoleBindings: (ns) => (o.roleBindings ?? []).filter((b) => b.metadata?.namespace === ns),
    listClusterRoleBindings: () => o.clusterRoleBindings ?? [],
  };
}

const clusterRole = (name: string, ...rules: PolicyRule[]): ClusterRole => ({ metadata: { name }, rules });
const crb = (roleName: string, ...subs: string[]): ClusterRoleBinding => ({
  metadata: { name: roleName },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: subjects(...subs),
});
const rbToClusterRole = (ns: string, roleName: string, ...subs: string[]): RoleBinding => ({
  metadata: { namespace: ns, name: roleName },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: subjects(...subs),
});

/** upstream's defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}. */
function res(user: string, groups: string, verb: string, resource: string, subresource: string, namespace: string, apiGroup = '', name = ''): Attributes {
  return { user: { username: user, groups: groups ? groups.split(',') : [] }, verb, resourceRequest: true, path: '', namespace, apiGroup, apiVersion: 'v1', resource, subresource, name };
}
function url(user: string, groups: string[], verb: string, path: string): Attributes {
  return { user: { username: user, groups }, verb, resourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

const cases: { name: string; src: RbacSource; pass: Attributes[]; fail: Attributes[] }[] = [
  {
    name: 'a RoleBinding to a ClusterRole grants in its namespace only, to its users and groups',
    src: source({ clusterRoles: [clusterRole('admin', rule('*', '*', '*', '*'))], roleBindings: [rbToClusterRole('ns1', 'admin', 'User:admin', 'Group:admins')] }),
    pass: [
      res('admin', '', 'get', 'Pods', '', 'ns1'),
      res('admin', '', 'watch', 'Pods', '', 'ns1'),
      res('admin', 'group1', 'watch', 'Foobar', '', 'ns1'),
      res('joe', 'admins', 'watch', 'Foobar', '', 'ns1'),
      res('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1'),
    ],
    fail: [
      res('admin', '', 'GET', 'Pods', '', 'ns2'),
      res('admin', '', 'GET', 'Nodes', '', ''),
      res('admin', 'admins', 'GET', 'Pods', '', 'ns2'),
      res('admin', 'admins', 'GET', 'Nodes', '', ''),
    ],
  },
  {
    name: 'non-resource URLs match exactly or by a trailing-* prefix',
    src: source({
      clusterRoles: [
        clusterRole('non-resource-url-getter', rule('get', '', '', '/apis')),
        clusterRole('non-resource-url', rule('*', '', '', '/apis')),
        clusterRole('non-resource-url-prefix', rule('get', '', '', '/apis/*')),
      ],
      clusterRoleBindings: [
        crb('non-resource-url-getter', 'User:foo', 'Group:bar'),
        crb('non-resource-url', 'User:admin', 'Group:admin'),
        crb('non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
      ],
    }),
    pass: [
      url('foo', [], 'get', '/apis'),
      url('', ['bar'], 'get', '/apis'),
      url('admin', [], 'get', '/apis'),
      url('', ['admin'], 'get', '/apis'),
      url('admin', [], 'watch', '/apis'),
      url('', ['admin'], 'watch', '/apis'),
      url('prefixed', [], 'get', '/apis/v1'),
      url('', ['prefixed'], 'get', '/apis/v1'),
      url('prefixed', [], 'get', '/apis/v1/foobar'),
      url('', ['prefixed'], 'get', '/apis/v1/foorbar'),
    ],
    fail: [
      url('foo', [], 'watch', '/apis'),
      url('', ['bar'], 'watch', '/apis'),
      url('foo', [], 'get', '/api/v1'),
      url('', ['bar'], 'get', '/api/v1'),
      url('admin', [], 'get', '/api/v1'),
      url('', ['admin'], 'get', '/api/v1'),
      url('prefixed', [], 'get', '/api/v1'),
      url('', ['prefixed'], 'get', '/api/v1'),
    ],
  },
  {
    name: 'a resource rule does not cover its subresources',
    src: source({ clusterRoles: [clusterRole('admin', rule('*', '*', 'pods', '*'))], roleBindings: [rbToClusterRole('ns1', 'admin', 'User:admin', 'Group:admins')] }),
    pass: [res('admin', '', 'get', 'pods', '', 'ns1')],
    fail: [res('admin', '', 'get', 'pods', 'status', 'ns1')],
  },
  {
    name: 'resource/subresource and */subresource rules',
    src: source({
      clusterRoles: [clusterRole('admin', rule('*', '*', 'pods/status', '*'), rule('*', '*', '*/scale', '*'))],
      roleBindings: [rbToClusterRole('ns1', 'admin', 'User:admin', 'Group:admins')],
    }),
    pass: [
      res('admin', '', 'get', 'pods', 'status', 'ns1'),
      res('admin', '', 'get', 'pods', 'scale', 'ns1'),
      res('admin', '', 'get', 'deployments', 'scale', 'ns1'),
      res('admin', '', 'get', 'anything', 'scale', 'ns1'),
    ],
    fail: [
      res('admin', '', 'get', 'pods', '', 'ns1'),
      res('admin', '', 'get', 'deployments', '', 'ns1'),
      res('admin', '', 'get', 'deployments', 'status', 'ns1'),
      res('admin', '', 'get', 'anything', '', 'ns1'),
    ],
  },
  {
    name: 'resourceNames restrict to the named objects; apiGroups must match',
    src: source({
      clusterRoles: [clusterRole('cm', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] })],
      clusterRoleBindings: [crb('cm', 'User:jane')],
    }),
    pass: [res('jane', '', 'get', 'configmaps', '', 'default', '', 'settings')],
    fail: [res('jane', '', 'get', 'configmaps', '', 'default', '', 'other'), res('jane', '', 'list', 'configmaps', '', 'default'), res('jane', '', 'get', 'configmaps', '', 'default', 'apps', 'settings')],
  },
  {
    name: 'ServiceAccount subjects match system:serviceaccount:<ns>:<name>, defaulting to the binding namespace',
    src: source({
      roles: [{ metadata: { namespace: 'ns1', name: 'reader' }, rules: [rule('list', '', 'pods', '')] }],
      roleBindings: [{ metadata: { namespace: 'ns1', name: 'sa' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: subjects('ServiceAccount:default') }],
    }),
    pass: [res('system:serviceaccount:ns1:default', '', 'list', 'pods', '', 'ns1')],
    fail: [res('system:serviceaccount:ns2:default', '', 'list', 'pods', '', 'ns1'), res('default', '', 'list', 'pods', '', 'ns1')],
  },
];

for (const c of cases) {
  test(`RBAC authorizer: ${c.name}`, () => {
    const z = new RbacAuthorizer(c.src);
    for (const a of c.pass) assert.equal(z.authorize(a).decision, 'allow', JSON.stringify(a));
    for (const a of c.fail) assert.equal(z.authorize(a).decision, 'noOpinion', JSON.stringify(a));
  });
}

test('RBAC authorizer names the binding, role and subject that allowed', () => {
  const z = new RbacAuthorizer(
    source({
      clusterRoles: [clusterRole('cluster-admin', rule('*', '*', '*', '')), clusterRole('view', rule('get,list', '', 'pods', ''))],
      clusterRoleBindings: [crb('cluster-admin', 'Group:system:masters')],
      roleBindings: [rbToClusterRole('default', 'view', 'ServiceAccount:default')],
    }),
  );
  assert.deepEqual(z.authorize(res('admin', 'system:masters', 'delete', 'nodes', '', '')), {
    decision: 'allow',
    reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
  });
  assert.deepEqual(z.authorize(res('system:serviceaccount:default:default', '', 'list', 'pods', '', 'default')), {
    decision: 'allow',
    reason: 'RBAC: allowed by RoleBinding "view/default" of ClusterRole "view" to ServiceAccount "default/default"',
  });
});

test('RBAC authorizer has no opinion and reports roles that are not found', () => {
  const z = new RbacAuthorizer(
    source({
      clusterRoleBindings: [crb('gone', 'User:jane')],
      roleBindings: [{ metadata: { namespace: 'ns1', name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' }, subjects: subjects('User:jane') }],
    }),
  );
  assert.deepEqual(z.authorize(res('jane', '', 'get', 'pods', '', '')), { decision: 'noOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  assert.deepEqual(z.authorize(res('jane', '', 'get', 'pods', '', 'ns1')), {
    decision: 'noOpinion',
    reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]',
  });
  assert.deepEqual(z.authorize(res('joe', '', 'get', 'pods', '', 'ns1')), { decision: 'noOpinion', reason: '' });
});

test('rulesFor lists resource and non-resource rules of cluster and namespace bindings', () => {
  const z = new RbacAuthorizer(
    source({
      clusterRoles: [
        clusterRole('basic', { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'] }, { verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }),
      ],
      clusterRoleBindings: [crb('basic', 'Group:system:authenticated')],
      roles: [{ metadata: { namespace: 'ns1', name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }] }],
      roleBindings: [{ metadata: { namespace: 'ns1', name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: subjects('User:jane') }],
    }),
  );
  assert.deepEqual(z.rulesFor({ username: 'jane', groups: ['system:authenticated'] }, 'ns1'), {
    resourceRules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], resourceNames: [] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] },
    ],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }],
    incomplete: false,
  });
});
