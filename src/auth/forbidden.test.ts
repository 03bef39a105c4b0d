import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from './authorizer.ts';
import { forbiddenError, forbiddenMessage } from './forbidden.ts';

const jane = { username: 'jane', groups: ['system:authenticated'] };
const base: Attributes = { user: jane, verb: 'list', resourceRequest: true, path: '', namespace: '', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '' };

test('forbiddenError words each shape as responsewriters.Forbidden does', () => {
  const cases: Array<[Partial<Attributes>, string, string]> = [
    [{ namespace: 'default' }, '', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    [{}, '', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope'],
    [{ verb: 'watch', namespace: 'default' }, '', 'pods is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "default"'],
    [{ verb: 'get', name: 'web', subresource: 'log', namespace: 'default' }, '', 'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"'],
    [{ verb: 'create', name: 'web', subresource: 'exec', namespace: 'ns' }, '', 'pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "ns"'],
    [{ verb: 'get', apiGroup: 'apps', resource: 'deployments', name: 'd', subresource: 'scale', namespace: 'x' }, '', 'deployments.apps "d" is forbidden: User "jane" cannot get resource "deployments/scale" in API group "apps" in the namespace "x"'],
    [{ verb: 'get', resourceRequest: false, path: '/metrics', resource: '' }, '', 'forbidden: User "jane" cannot get path "/metrics"'],
    [{ namespace: 'default' }, 'no RBAC policy matched', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default": no RBAC policy matched'],
    [{ verb: 'get', resourceRequest: false, path: '/<a>&b', resource: '' }, '', 'forbidden: User "jane" cannot get path "/&lt;a&gt;&amp;b"'],
  ];
  for (const [over, reason, message] of cases) {
    const err = forbiddenError({ ...base, ...over }, reason);
    assert.equal(err.message, message);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
  }
});

test('forbiddenError details name the group, the resource as kind and the name', () => {
  assert.deepEqual(forbiddenError({ ...base, apiGroup: 'apps', resource: 'deployments', name: 'd', subresource: 'scale' }, '').details, { name: 'd', group: 'apps', kind: 'deployments' });
  assert.deepEqual(forbiddenError({ ...base, namespace: 'default' }, '').details, { name: undefined, group: undefined, kind: 'pods' });
  assert.deepEqual(JSON.parse(JSON.stringify(forbiddenError({ ...base, resourceRequest: false, path: '/x', resource: '' }, '').toStatus())).details, {});
});

test('forbiddenMessage quotes as Go %q does', () => {
  assert.equal(forbiddenMessage({ ...base, user: { username: 'a"b\u0001', groups: [] } }), 'User "a\\"b\\x01" cannot list resource "pods" in API group "" at the cluster scope');
});
