import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.ts';
import { allowed, noOpinion, type Attributes, type Authorizer } from './authorizer.ts';
import { impersonate, ImpersonationRequestError, type HeaderValues } from './impersonation.ts';

const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const bob = { username: 'bob', groups: ['system:authenticated'] };

/** Records every check; lets admin do anything and bob impersonate users only. */
function recorder(): { authorizer: Authorizer; seen: Attributes[] } {
  const seen: Attributes[] = [];
  return {
    seen,
    authorizer: {
      authorize(a) {
        seen.push(a);
        if (a.user.username === 'kubernetes-admin') return allowed();
        return a.resource === 'users' ? allowed() : noOpinion();
      },
    },
  };
}

function forbidden(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    return err.message;
  }
  assert.fail('expected a Forbidden');
}

test('impersonate leaves the requestor alone without impersonation headers', () => {
  const { authorizer, seen } = recorder();
  assert.equal(impersonate(bob, { accept: ['*/*'] }, authorizer), bob);
  assert.equal(seen.length, 0);
});

test('impersonate builds the user and groups as WithImpersonation does', () => {
  const cases: Array<[string, HeaderValues, { username: string; groups: string[]; uid?: string; extra?: Record<string, string[]> }]> = [
    ['a user alone is authenticated', { 'impersonate-user': ['jane'] }, { username: 'jane', groups: ['system:authenticated'] }],
    ['groups named are kept, authenticated added', { 'impersonate-user': ['jane'], 'impersonate-group': ['devs', 'ops'] }, { username: 'jane', groups: ['devs', 'ops', 'system:authenticated'] }],
    ['system:authenticated named is not doubled', { 'impersonate-user': ['jane'], 'impersonate-group': ['system:authenticated'] }, { username: 'jane', groups: ['system:authenticated'] }],
    ['system:unauthenticated named keeps authenticated out', { 'impersonate-user': ['jane'], 'impersonate-group': ['system:unauthenticated'] }, { username: 'jane', groups: ['system:unauthenticated'] }],
    ['anonymous is unauthenticated', { 'impersonate-user': ['system:anonymous'] }, { username: 'system:anonymous', groups: ['system:unauthenticated'] }],
    ['a service account gets its groups', { 'impersonate-user': ['system:serviceaccount:ns1:robot'] }, { username: 'system:serviceaccount:ns1:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] }],
    ['a service account with groups named gets only those', { 'impersonate-user': ['system:serviceaccount:ns1:robot'], 'impersonate-group': ['g'] }, { username: 'system:serviceaccount:ns1:robot', groups: ['g', 'system:authenticated'] }],
    ['a malformed service account name is a user', { 'impersonate-user': ['system:serviceaccount:ns1'] }, { username: 'system:serviceaccount:ns1', groups: ['system:authenticated'] }],
    ['uid and extras', { 'impersonate-user': ['jane'], 'impersonate-uid': ['1234'], 'impersonate-extra-scopes': ['view', 'edit'], 'impersonate-extra-acme.com%2fproject': ['p'] }, { username: 'jane', groups: ['system:authenticated'], uid: '1234', extra: { 'acme.com/project': ['p'], scopes: ['view', 'edit'] } }],
  ];
  for (const [name, headers, want] of cases) {
    const { authorizer } = recorder();
    assert.deepEqual(impersonate(admin, headers, authorizer), want, name);
  }
});

test('impersonate checks each thing named with the verb impersonate', () => {
  const { authorizer, seen } = recorder();
  impersonate(admin, { 'impersonate-user': ['system:serviceaccount:ns1:robot'], 'impersonate-group': ['devs'], 'impersonate-extra-scopes': ['view'], 'impersonate-uid': ['u1'] }, authorizer);
  assert.deepEqual(
    seen.map((a) => [a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name]),
    [
      ['impersonate', '', 'serviceaccounts', '', 'ns1', 'robot'],
      ['impersonate', '', 'groups', '', '', 'devs'],
      ['impersonate', 'authentication.k8s.io', 'userextras', 'scopes', '', 'view'],
      ['impersonate', 'authentication.k8s.io', 'uids', '', '', 'u1'],
    ],
  );
  assert.ok(seen.every((a) => a.resourceRequest && a.user === admin));
});

test('impersonate refuses with the Forbidden text of the first check that fails', () => {
  const deny: Authorizer = { authorize: () => noOpinion() };
  assert.equal(
    forbidden(() => impersonate(bob, { 'impersonate-user': ['jane'] }, deny)),
    'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
  );
  const { authorizer } = recorder();
  assert.equal(
    forbidden(() => impersonate(bob, { 'impersonate-user': ['jane'], 'impersonate-group': ['devs'] }, authorizer)),
    'groups "devs" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
  );
  assert.equal(
    forbidden(() => impersonate(bob, { 'impersonate-user': ['system:serviceaccount:kube-system:default'] }, authorizer)),
    'serviceaccounts "default" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"',
  );
  assert.equal(
    forbidden(() => impersonate(bob, { 'impersonate-user': ['jane'], 'impersonate-extra-scopes': ['view'] }, authorizer)),
    'userextras.authentication.k8s.io "view" is forbidden: User "bob" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
  );
  assert.equal(
    forbidden(() => impersonate(bob, { 'impersonate-user': ['jane'], 'impersonate-uid': ['u1'] }, authorizer)),
    'uids.authentication.k8s.io "u1" is forbidden: User "bob" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
  );
});

test('impersonate refuses groups, extras or a uid without a user', () => {
  const { authorizer, seen } = recorder();
  assert.throws(
    () => impersonate(admin, { 'impersonate-group': ['devs'] }, authorizer),
    (err: unknown) => err instanceof ImpersonationRequestError && err.message === 'requested [{Group  devs    }] without impersonating a user',
  );
  assert.throws(() => impersonate(admin, { 'impersonate-uid': ['u'] }, authorizer), ImpersonationRequestError);
  assert.throws(() => impersonate(admin, { 'impersonate-extra-a': ['b'] }, authorizer), ImpersonationRequestError);
  assert.equal(seen.length, 0);
});
