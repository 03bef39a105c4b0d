import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { startApiServer } from '../api-server-fixture.ts';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, protobufMediaType } from '../protobuf/protobuf.ts';
import { defaultIssuer, generateSigningKeyPem, registryBoundObjects, serviceAccountTokenAuthenticator, signingKeyFromPem, tokenIssuer } from '../../auth/serviceaccount/serviceaccount.ts';

const key = signingKeyFromPem(generateSigningKeyPem());
const start = (t: Parameters<typeof startApiServer>[0]) =>
  startApiServer(t, (registry) => ({
    serviceAccountTokens: tokenIssuer({ key, issuer: defaultIssuer, audiences: [defaultIssuer], objects: registryBoundObjects(registry) }),
  }));
const path = '/api/v1/namespaces/default/serviceaccounts/bot/token';

test('POST serviceaccounts/<name>/token answers 201 with a token for the ServiceAccount', async (t) => {
  const { call } = await start(t);
  assert.equal((await call('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'bot' } }))).status, 201);
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 1200 } };
  const r = await call('POST', path, JSON.stringify(body));
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'TokenRequest');
  assert.equal(r.body.apiVersion, 'authentication.k8s.io/v1');
  assert.deepEqual(r.body.spec, { audiences: ['vault'], expirationSeconds: 1200 });
  const claims = decodeJwt(r.body.status.token);
  assert.equal(claims.sub, 'system:serviceaccount:default:bot');
  assert.deepEqual(claims.aud, ['vault']);
  assert.equal(Date.parse(r.body.status.expirationTimestamp) / 1000, claims.exp);
});

test('TokenRequest refusals: a missing ServiceAccount, too short an expiry, other verbs', async (t) => {
  const { call } = await start(t);
  const missing = await call('POST', path, JSON.stringify({ spec: { audiences: [] } }));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'serviceaccounts "bot" not found');
  await call('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'bot' } }));
  const short = await call('POST', path, JSON.stringify({ spec: { audiences: [], expirationSeconds: 60 } }));
  assert.equal(short.status, 422);
  assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  assert.equal((await call('GET', path)).status, 405);
});

test('TokenRequest in protobuf, as kubectl create token sends it', async (t) => {
  const { call, raw } = await start(t);
  await call('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'bot' } }));
  const body = encodeKubernetesProtobuf({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { creationTimestamp: null }, spec: { audiences: null, expirationSeconds: 3600 }, status: { token: '', expirationTimestamp: null } } as never);
  const r = await raw('POST', path, { 'Content-Type': protobufMediaType, Accept: `${protobufMediaType}, application/json` }, body);
  assert.equal(r.status, 201, r.text);
  const out = r.headers['content-type'] === protobufMediaType ? decodeKubernetesProtobuf(r.bytes) : JSON.parse(r.text);
  const status = out.status as { token: string; expirationTimestamp: string };
  assert.equal(decodeJwt(status.token).sub, 'system:serviceaccount:default:bot');
  assert.match(status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('kubectl create serviceaccount sends protobuf: a ServiceAccount decodes', async (t) => {
  const { raw, registry } = await start(t);
  const body = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', creationTimestamp: null }, automountServiceAccountToken: false } as never);
  const r = await raw('POST', '/api/v1/namespaces/default/serviceaccounts', { 'Content-Type': protobufMediaType, Accept: 'application/json' }, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(JSON.parse(r.text).automountServiceAccountToken, false);
  assert.ok(registry.resource('', 'v1', 'serviceaccounts')!.find('default', 'bot'));
});

test('discovery lists serviceaccounts/token as create of authentication.k8s.io/v1 TokenRequest', async (t) => {
  const { call } = await start(t);
  const legacy = await call('GET', '/api/v1');
  const token = legacy.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
  assert.deepEqual({ group: token.group, version: token.version, kind: token.kind, verbs: token.verbs, namespaced: token.namespaced }, {
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'TokenRequest',
    verbs: ['create'],
    namespaced: true,
  });
  const sa = legacy.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts');
  assert.deepEqual(sa.shortNames, ['sa']);
});

test('the API server authenticates a bound ServiceAccount token through its chain, and refuses it once the pod is gone', async (t) => {
  const { call, raw } = await startApiServer(t, (registry) => {
    const objects = registryBoundObjects(registry);
    return {
      serviceAccountTokens: tokenIssuer({ key, issuer: defaultIssuer, audiences: [defaultIssuer], objects }),
      tokenAuthenticators: [serviceAccountTokenAuthenticator({ publicKey: key.publicKey, issuer: defaultIssuer, audiences: [defaultIssuer], objects })],
    };
  });
  await call('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'bot' } }));
  const pod = await call('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ metadata: { name: 'web' }, spec: { serviceAccountName: 'bot', containers: [{ name: 'app', image: 'busybox:1.35' }] } }));
  assert.equal(pod.status, 201);
  const tr = await call('POST', path, JSON.stringify({ spec: { audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: pod.body.metadata.uid } } }));
  const token: string = tr.body.status.token;
  const asBot = (p: string, method = 'GET', body?: string) =>
    raw(method, p, { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body);
  assert.equal((await asBot('/api')).status, 200);
  const review = await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
  assert.equal(review.body.status.authenticated, true);
  assert.equal(review.body.status.user.username, 'system:serviceaccount:default:bot');
  assert.deepEqual(review.body.status.user.extra['authentication.kubernetes.io/pod-name'], ['web']);
  await call('DELETE', '/api/v1/namespaces/default/pods/web?gracePeriodSeconds=0');
  assert.equal((await asBot('/api')).status, 401);
  const after = await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
  assert.equal(after.body.status.authenticated, undefined);
  assert.equal(after.body.status.error, 'service account token has been invalidated');
  assert.ok(!JSON.stringify(after.body.status).includes(token.split('.')[2]), 'the status never carries the token');
});
