/**
 * The API server's authentication, impersonation and authorization filters
 * end to end over HTTPS, and the review kinds, with the bootstrap policy's
 * group grants standing in for RBAC.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { memoryRegistry } from '../registry/registry-fixture.ts';
import { createCa, issueServerCert } from '../pki/pki.ts';
import { staticTokenAuthenticator } from '../auth/auth.ts';
import { ApiServer } from './apiserver.ts';
import { apiAudiences, requestAttributes } from './auth.ts';
import { parseRequestInfo } from './request-info.ts';
import { parseRequestTarget } from './request-target.ts';

const ca = createCa('test-ca', Date.now());
const serving = issueServerCert(ca, { commonName: 'test', now: Date.now() });
const admin = 'admin-token';
const jane = 'jane-token';

interface Reply {
  status: number;
  type: string;
  text: string;
  body: any;
}
type Send = (method: string, path: string, opts?: { token?: string | null; headers?: Record<string, string | string[]>; body?: unknown }) => Promise<Reply>;

async function server(t: TestContext): Promise<Send> {
  const { registry } = memoryRegistry(t);
  registry.pods.create('default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const api = new ApiServer({
    registry,
    token: admin,
    tls: serving,
    tokenAuthenticators: [staticTokenAuthenticator(apiAudiences, [{ token: jane, user: { username: 'jane', groups: ['devs'] } }])],
  });
  const port = await api.start();
  t.after(() => api.stop());
  return (method, path, opts = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const body = opts.body === undefined ? '' : JSON.stringify(opts.body);
      const token = opts.token === undefined ? admin : opts.token;
      const headers: Record<string, string | string[] | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...opts.headers };
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      const req = request({ host: '127.0.0.1', port, path, method, ca: ca.certPem, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

test('requestAttributes maps methods and paths to the verbs kube-apiserver authorizes', () => {
  const user = { username: 'u', groups: [] };
  const table: Array<[string, string, Partial<ReturnType<typeof requestAttributes>>]> = [
    ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', resource: 'pods', namespace: 'default', name: '' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: '' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=false', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb&watch=true', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', name: 'web' }],
    ['HEAD', '/api/v1/namespaces/default/pods/web', { verb: 'get' }],
    ['POST', '/api/v1/namespaces/default/pods', { verb: 'create' }],
    ['PUT', '/api/v1/namespaces/default/pods/web', { verb: 'update' }],
    ['PATCH', '/api/v1/namespaces/default/pods/web', { verb: 'patch' }],
    ['DELETE', '/api/v1/namespaces/default/pods/web', { verb: 'delete' }],
    ['DELETE', '/api/v1/namespaces/default/pods', { verb: 'deletecollection' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', subresource: 'log', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web/exec', { verb: 'get', subresource: 'exec' }],
    ['POST', '/api/v1/namespaces/default/pods/web/exec', { verb: 'create', subresource: 'exec' }],
    ['POST', '/api/v1/namespaces/default/pods/web/attach', { verb: 'create', subresource: 'attach' }],
    ['POST', '/api/v1/namespaces/default/pods/web/portforward', { verb: 'create', subresource: 'portforward' }],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', { verb: 'create', subresource: 'binding' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', { verb: 'update', subresource: 'status' }],
    ['PATCH', '/apis/apps/v1/namespaces/x/deployments/d/scale', { verb: 'patch', apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', subresource: 'scale' }],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { verb: 'create', resource: 'serviceaccounts', subresource: 'token' }],
    ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }],
    ['PUT', '/api/v1/namespaces/x/finalize', { verb: 'update', resource: 'namespaces', subresource: 'finalize', namespace: 'x' }],
    ['GET', '/api', { verb: 'get', resourceRequest: false, path: '/api' }],
    ['GET', '/openapi/v3/apis/apps/v1', { verb: 'get', resourceRequest: false, path: '/openapi/v3/apis/apps/v1' }],
    ['HEAD', '/healthz', { verb: 'head', resourceRequest: false }],
  ];
  for (const [method, url, want] of table) {
    const target = parseRequestTarget(url);
    const got = requestAttributes(user, parseRequestInfo(method, target), method, target.query);
    for (const [k, v] of Object.entries(want)) assert.equal((got as any)[k], v, `${method} ${url}: ${k}`);
  }
});

test('a refused token is 401 everywhere; no token is anonymous on the public paths only', async (t) => {
  const send = await server(t);
  for (const path of ['/version', '/readyz', '/api/v1/pods']) {
    const r = await send('GET', path, { token: 'forged' });
    assert.equal(r.status, 401, path);
    assert.equal(r.body.message, 'Unauthorized');
    assert.ok(!r.text.includes('forged'));
  }
  assert.equal((await send('GET', '/version', { token: null })).status, 200);
  assert.equal((await send('GET', '/healthz', { token: null })).status, 200);
  assert.equal((await send('GET', '/api', { token: null })).status, 401);
});

test('a user without grants is refused with the exact Forbidden Status on every kind of request', async (t) => {
  const send = await server(t);
  const cases: Array<[string, string, string]> = [
    ['GET', '/api/v1/namespaces/default/pods', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    ['GET', '/api/v1/pods', 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope'],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', 'pods is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "default"'],
    ['GET', '/api/v1/namespaces/default/pods/web', 'pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"'],
    ['GET', '/api/v1/namespaces/default/pods/web/log', 'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"'],
    ['POST', '/api/v1/namespaces/default/pods/web/exec?command=ls', 'pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"'],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments', 'deployments.apps is forbidden: User "jane" cannot deletecollection resource "deployments" in API group "apps" in the namespace "default"'],
    ['GET', '/api/v1/namespaces/kube-system', 'namespaces "kube-system" is forbidden: User "jane" cannot get resource "namespaces" in API group "" in the namespace "kube-system"'],
    ['GET', '/logs', 'forbidden: User "jane" cannot get path "/logs"'],
  ];
  for (const [method, path, message] of cases) {
    const r = await send(method, path, { token: jane });
    assert.equal(r.status, 403, path);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'Forbidden');
    assert.equal(r.body.message, message);
  }
  const log = await send('GET', '/api/v1/namespaces/default/pods/web/log', { token: jane });
  assert.deepEqual(log.body.details, { name: 'web', kind: 'pods' });
  // Discovery and OpenAPI are the bootstrap system:discovery role's, for every authenticated user.
  for (const path of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/openapi/v3']) assert.equal((await send('GET', path, { token: jane })).status, 200, path);
});

test('an exec, attach or port-forward upgrade is refused before it is upgraded', async (t) => {
  const send = await server(t);
  for (const sub of ['exec', 'attach', 'portforward']) {
    const r = await send('GET', `/api/v1/namespaces/default/pods/web/${sub}?command=sh`, {
      token: jane,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
    });
    assert.equal(r.status, 403, sub);
    assert.equal(r.body.message, `pods "web" is forbidden: User "jane" cannot get resource "pods/${sub}" in API group "" in the namespace "default"`);
  }
});

test('impersonation acts as the user named once the requestor may impersonate', async (t) => {
  const send = await server(t);
  const asJane = { 'Impersonate-User': 'jane', 'Impersonate-Group': ['devs', 'ops'] };
  const who = await send('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { headers: asJane, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(who.status, 201);
  assert.deepEqual(who.body.status, { userInfo: { username: 'jane', groups: ['devs', 'ops', 'system:authenticated'] } });
  const pods = await send('GET', '/api/v1/namespaces/default/pods', { headers: { 'Impersonate-User': 'jane' } });
  assert.equal(pods.status, 403);
  assert.equal(pods.body.message, 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"');
  const refused = await send('GET', '/api/v1/namespaces/default/pods', { token: jane, headers: { 'Impersonate-User': 'kubernetes-admin' } });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'users "kubernetes-admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
  const groupOnly = await send('GET', '/api/v1/namespaces/default/pods', { headers: { 'Impersonate-Group': 'system:masters' } });
  assert.equal(groupOnly.status, 500);
  assert.match(groupOnly.type, /^text\/plain/);
  assert.equal(groupOnly.text, 'Internal Server Error: "/api/v1/namespaces/default/pods": requested [{Group  system:masters    }] without impersonating a user\n');
});

test('SelfSubjectReview answers who the token is', async (t) => {
  const send = await server(t);
  const r = await send('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: {} });
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'SelfSubjectReview');
  assert.equal(r.body.apiVersion, 'authentication.k8s.io/v1');
  assert.match(r.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(r.body.status.userInfo, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  const mine = await send('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token: jane, body: {} });
  assert.deepEqual(mine.body.status.userInfo, { username: 'jane', groups: ['devs', 'system:authenticated'] });
});

test('a review is create-only and never stored', async (t) => {
  const send = await server(t);
  const r = await send('GET', '/apis/authentication.k8s.io/v1/selfsubjectreviews');
  assert.equal(r.status, 405);
  const disc = await send('GET', '/apis/authorization.k8s.io/v1');
  assert.deepEqual(
    disc.body.resources.map((x: any) => [x.name, x.namespaced, x.verbs]),
    [
      ['localsubjectaccessreviews', true, ['create']],
      ['selfsubjectaccessreviews', false, ['create']],
      ['selfsubjectrulesreviews', false, ['create']],
      ['subjectaccessreviews', false, ['create']],
    ],
  );
});

test('TokenReview authenticates the token with the chain for the audiences asked', async (t) => {
  const send = await server(t);
  const path = '/apis/authentication.k8s.io/v1/tokenreviews';
  const ok = await send('POST', path, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: jane } } });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.status, { authenticated: true, user: { username: 'jane', groups: ['devs', 'system:authenticated'] }, audiences: [...apiAudiences] });
  const bad = await send('POST', path, { body: { spec: { token: 'forged' } } });
  assert.deepEqual(bad.body.status, { user: {} });
  const otherAud = await send('POST', path, { body: { spec: { token: jane, audiences: ['vault'] } } });
  assert.deepEqual(otherAud.body.status, { user: {} });
  const none = await send('POST', path, { body: { spec: {} } });
  assert.equal(none.status, 400);
  assert.equal(none.body.message, 'token is required for TokenReview in authentication');
  // Only masters (or a binding) may review tokens.
  const denied = await send('POST', path, { token: jane, body: { spec: { token: admin } } });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.message, 'tokenreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope');
  assert.ok(!denied.text.includes(admin));
});

test('the access reviews ask the authorizer about the attributes given', async (t) => {
  const send = await server(t);
  const ssar = (token: string | undefined, spec: unknown, headers?: Record<string, string>) =>
    send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { token, headers, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec } });
  const listPods = { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } };
  assert.deepEqual((await ssar(undefined, listPods)).body.status, { allowed: true });
  assert.deepEqual((await ssar(undefined, listPods, { 'Impersonate-User': 'jane' })).body.status, { allowed: false });
  assert.deepEqual((await ssar(jane, listPods)).body.status, { allowed: false });
  assert.deepEqual((await ssar(jane, { nonResourceAttributes: { path: '/api', verb: 'get' } })).body.status, { allowed: true });
  const invalid = await ssar(undefined, {});
  assert.equal(invalid.status, 422);
  assert.equal(invalid.body.message, 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');

  const sar = (spec: unknown) => send('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { body: { spec } });
  assert.deepEqual((await sar({ user: 'x', groups: ['system:masters'], ...listPods })).body.status, { allowed: true });
  assert.deepEqual((await sar({ user: 'jane', ...listPods })).body.status, { allowed: false });
  const noUser = await sar(listPods);
  assert.equal(noUser.body.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
  const both = await sar({ user: 'jane', ...listPods, nonResourceAttributes: { path: '/x', verb: 'get' } });
  assert.equal(both.body.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: {"path":"/x","verb":"get"}: cannot be specified in combination with resourceAttributes');

  const lsar = (ns: string, body: unknown) => send('POST', `/apis/authorization.k8s.io/v1/namespaces/${ns}/localsubjectaccessreviews`, { body });
  assert.deepEqual((await lsar('default', { spec: { groups: ['system:masters'], ...listPods } })).body.status, { allowed: true });
  const mismatch = await lsar('other', { spec: { user: 'jane', ...listPods } });
  assert.equal(mismatch.status, 422);
  assert.equal(mismatch.body.message, 'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "default": must match metadata.namespace');
  const wrongNs = await lsar('other', { metadata: { namespace: 'default' }, spec: { user: 'jane', ...listPods } });
  assert.equal(wrongNs.status, 400);
  assert.equal(wrongNs.body.message, 'the namespace of the provided object does not match the namespace sent on the request');
});

test('SelfSubjectRulesReview lists the rules the authorizer resolves', async (t) => {
  const send = await server(t);
  const path = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
  const mine = await send('POST', path, { body: { spec: { namespace: 'default' } } });
  assert.equal(mine.status, 201);
  assert.deepEqual(mine.body.status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  assert.deepEqual(mine.body.status.nonResourceRules[0], { verbs: ['*'], nonResourceURLs: ['*'] });
  assert.equal(mine.body.status.incomplete, false);
  const janes = await send('POST', path, { token: jane, body: { spec: { namespace: 'default' } } });
  assert.deepEqual(janes.body.status.resourceRules, [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ]);
  const none = await send('POST', path, { body: { spec: {} } });
  assert.equal(none.status, 400);
  assert.equal(none.body.message, 'no namespace on request');
});

test('kubectl auth can-i and whoami reviews are read in protobuf, as its typed client sends them', async (t) => {
  const { encodeKubernetesProtobuf } = await import('./protobuf/protobuf.ts');
  const { registry } = memoryRegistry(t);
  const api = new ApiServer({ registry, token: admin, tls: serving });
  const port = await api.start();
  t.after(() => api.stop());
  const post = (path: string, obj: object) =>
    new Promise<any>((resolve, reject) => {
      const body = encodeKubernetesProtobuf(obj);
      const headers = { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/json', 'Impersonate-User': 'jane', 'Content-Length': body.length };
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca: ca.certPem, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const ssar = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' } },
  });
  assert.equal(ssar.status, 201);
  assert.deepEqual(ssar.body.status, { allowed: true });
  const ssr = await post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.deepEqual(ssr.body.status.userInfo, { username: 'jane', groups: ['system:authenticated'] });
});
