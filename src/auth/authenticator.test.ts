import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken, staticTokenAuthenticator, tokenAuthenticatorChain, type TokenAuthenticator } from './authenticator.ts';
import { adminUser } from './user-info.ts';

const auds = ['https://kubernetes.default.svc.cluster.local'];

test('bearerToken reads Bearer tokens as bearertoken.Authenticator does', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer abc'), 'abc');
  assert.equal(bearerToken('  Bearer abc  '), 'abc');
  assert.equal(bearerToken('Bearer abc def'), 'abc');
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken('Bearer  abc'), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test('the chain answers the first authenticator that knows the token and adds system:authenticated', async () => {
  const other: TokenAuthenticator = { authenticateToken: async (t) => (t === 'sa' ? { ok: true, response: { user: { username: 'sa', groups: ['system:serviceaccounts'] }, audiences: ['x'] } } : { ok: false }) };
  const chain = tokenAuthenticatorChain(staticTokenAuthenticator(auds, [{ token: 'admin', user: adminUser }]), other);
  const admin = await chain.authenticateToken('admin');
  assert.ok(admin.ok);
  assert.deepEqual(admin.response.user, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  assert.deepEqual(admin.response.audiences, auds);
  const sa = await chain.authenticateToken('sa');
  assert.ok(sa.ok);
  assert.deepEqual(sa.response.user.groups, ['system:serviceaccounts', 'system:authenticated']);
  assert.deepEqual(await chain.authenticateToken('admin2'), { ok: false });
  assert.deepEqual(await chain.authenticateToken('admi'), { ok: false });
});

test('the chain joins the refusals that give a reason, never the token', async () => {
  const expired: TokenAuthenticator = { authenticateToken: async () => ({ ok: false, error: 'token has expired' }) };
  const wrongKey: TokenAuthenticator = { authenticateToken: async () => ({ ok: false, error: 'invalid signature' }) };
  assert.deepEqual(await tokenAuthenticatorChain(expired).authenticateToken('secret-token'), { ok: false, error: 'token has expired' });
  const both = await tokenAuthenticatorChain(expired, wrongKey).authenticateToken('secret-token');
  assert.deepEqual(both, { ok: false, error: '[token has expired, invalid signature]' });
});

test('a static token is valid only for the API server audiences', async () => {
  const a = staticTokenAuthenticator(auds, [{ token: 't', user: adminUser }]);
  assert.equal((await a.authenticateToken('t', ['vault'])).ok, false);
  const r = await a.authenticateToken('t', ['vault', auds[0]]);
  assert.ok(r.ok);
  assert.deepEqual(r.response.audiences, auds);
});
