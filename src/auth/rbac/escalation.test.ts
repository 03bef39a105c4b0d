import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { UserInfo } from '../user-info.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import type { RbacSource } from './rule-resolver.ts';
import { checkEscalation, rbacKindOf, rbacWriteGuard } from './escalation.ts';

const G = 'rbac.authorization.k8s.io';
const jane: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };

function world(extra: { roles?: Role[]; clusterRoles?: ClusterRole[]; roleBindings?: RoleBinding[]; clusterRoleBindings?: ClusterRoleBinding[] } = {}) {
  const clusterRoles: ClusterRole[] = [
    { metadata: { name: 'cluster-admin' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] },
    { metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }] },
    { metadata: { name: 'rbac-writer' }, rules: [{ verbs: ['create', 'update'], apiGroups: [G], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] }] },
    ...(extra.clusterRoles ?? []),
  ];
  const roleBindings: RoleBinding[] = [
    { metadata: { namespace: 'dev', name: 'jane-writer' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'rbac-writer' }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] },
    { metadata: { namespace: 'dev', name: 'jane-get' }, roleRef: { apiGroup: G, kind: 'Role', name: 'getter' }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] },
    ...(extra.roleBindings ?? []),
  ];
  const roles: Role[] = [{ metadata: { namespace: 'dev', name: 'getter' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, ...(extra.roles ?? [])];
  const clusterRoleBindings = extra.clusterRoleBindings ?? [];
  const source: RbacSource = {
    getRole: (ns, n) => roles.find((r) => r.metadata?.namespace === ns && r.metadata?.name === n),
    getClusterRole: (n) => clusterRoles.find((r) => r.metadata?.name === n),
    listRoleBindings: (ns) => roleBindings.filter((b) => b.metadata?.namespace === ns),
    listClusterRoleBindings: () => clusterRoleBindings,
  };
  return { source, authorizer: new RbacAuthorizer(source) };
}

function refusal(fn: () => void): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('expected a refusal');
}

test('a user may not create a Role with rules it does not hold, with upstream text', () => {
  const { source, authorizer } = world();
  const role: Role = { metadata: { namespace: 'dev', name: 'x' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };
  const err = refusal(() => checkEscalation(jane, 'Role', role, authorizer, { source }));
  assert.equal(err.code, 403);
  assert.equal(
    err.message,
    'roles.rbac.authorization.k8s.io "x" is forbidden: user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["list"]}',
  );
  // What it holds it may grant.
  checkEscalation(jane, 'Role', { ...role, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, authorizer, { source });
});

test('missing rules are compacted by resource and listed sorted', () => {
  const { source, authorizer } = world();
  const role: Role = { metadata: { namespace: 'dev', name: 'x' }, rules: [{ verbs: ['delete', 'create'], apiGroups: ['', 'apps'], resources: ['secrets'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] };
  const err = refusal(() => checkEscalation(jane, 'Role', role, authorizer, { source }));
  assert.match(err.message, /not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["delete" "create"\]\}\n\{APIGroups:\["apps"\], Resources:\["secrets"\], Verbs:\["delete" "create"\]\}\n\{NonResourceURLs:\["\/x"\], Verbs:\["get"\]\}$/);
});

test('system:masters and users with escalate bypass the role check', () => {
  const { source, authorizer } = world({
    clusterRoles: [{ metadata: { name: 'escalator' }, rules: [{ verbs: ['escalate'], apiGroups: [G], resources: ['clusterroles'] }] }],
    clusterRoleBindings: [{ metadata: { name: 'e' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'escalator' }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] }],
  });
  const big: ClusterRole = { metadata: { name: 'big' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
  checkEscalation({ username: 'admin', groups: ['system:masters'] }, 'ClusterRole', big, authorizer, { source });
  checkEscalation(jane, 'ClusterRole', big, authorizer, { source });
  assert.equal(refusal(() => checkEscalation({ username: 'joe', groups: [] }, 'ClusterRole', big, authorizer, { source })).code, 403);
});

test('an aggregationRule needs cluster-admin privileges', () => {
  const { source, authorizer } = world();
  const agg: ClusterRole = { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } };
  assert.equal(refusal(() => checkEscalation(jane, 'ClusterRole', agg, authorizer, { source })).message, 'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
});

test('a user who can create RoleBindings cannot bind cluster-admin, but can bind what it holds or may bind', () => {
  const { source, authorizer } = world({
    clusterRoles: [{ metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [G], resources: ['clusterroles'], resourceNames: ['view'] }] }, { metadata: { name: 'view' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] }],
    roleBindings: [{ metadata: { namespace: 'dev', name: 'b' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] }],
  });
  const rb = (name: string, kind: string, ref: string): RoleBinding => ({ metadata: { namespace: 'dev', name }, roleRef: { apiGroup: G, kind, name: ref }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] });
  const err = refusal(() => checkEscalation(jane, 'RoleBinding', rb('admin', 'ClusterRole', 'cluster-admin'), authorizer, { source }));
  assert.equal(err.code, 403);
  assert.match(err.message, /^rolebindings\.rbac\.authorization\.k8s\.io "admin" is forbidden: user "jane" \(groups=\["devs" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}\n\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}$/);
  checkEscalation(jane, 'RoleBinding', rb('g', 'Role', 'getter'), authorizer, { source });
  checkEscalation(jane, 'RoleBinding', rb('v', 'ClusterRole', 'view'), authorizer, { source });
  const crb: ClusterRoleBinding = { metadata: { name: 'v' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'view' }, subjects: [] };
  assert.equal(refusal(() => checkEscalation(jane, 'ClusterRoleBinding', crb, authorizer, { source })).code, 403, 'bind was granted in dev only');
  assert.equal(refusal(() => checkEscalation(jane, 'RoleBinding', rb('m', 'ClusterRole', 'missing'), authorizer, { source })).message, 'clusterroles.rbac.authorization.k8s.io "missing" not found');
});

test('an update that only changes finalizers or ownerReferences passes', () => {
  const { source, authorizer } = world();
  const old: ClusterRoleBinding = { metadata: { name: 'v', resourceVersion: '5' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [] };
  checkEscalation(jane, 'ClusterRoleBinding', { ...old, metadata: { ...old.metadata, finalizers: ['x/y'] } }, authorizer, { source, old });
  assert.equal(refusal(() => checkEscalation(jane, 'ClusterRoleBinding', { ...old, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] }, authorizer, { source, old })).code, 403);
});

test('rbacKindOf names the four kinds only', () => {
  assert.equal(rbacKindOf(G, 'rolebindings'), 'RoleBinding');
  assert.equal(rbacKindOf('', 'pods'), undefined);
});

test('rbacWriteGuard checks the four RBAC resources and lets every other write through', () => {
  const { source, authorizer } = world();
  const guard = rbacWriteGuard(authorizer, source);
  guard(jane, '', 'pods', 'dev', { metadata: { name: 'p' } });
  const rb: RoleBinding = { metadata: { name: 'own' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', apiGroup: G, name: 'jane' }] };
  assert.equal(refusal(() => guard(jane, G, 'rolebindings', 'dev', rb)).code, 403, 'the namespace comes from the request');
});

test('updating an aggregated ClusterRole needs cluster-admin privileges even when the rule is unchanged', () => {
  const { source, authorizer } = world();
  const old: ClusterRole = { metadata: { name: 'agg', resourceVersion: '1' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } };
  const relabelled: ClusterRole = { ...old, metadata: { ...old.metadata, labels: { x: 'y' } } };
  assert.match(refusal(() => checkEscalation(jane, 'ClusterRole', relabelled, authorizer, { source, old })).message, /must have cluster-admin privileges to use the aggregationRule$/);
});
