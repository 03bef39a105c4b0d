import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, UnsecuredJWT } from 'jose';
import type { Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import {
  defaultIssuer,
  generateSigningKeyPem,
  serviceAccountTokenAuthenticator,
  signingKeyFromPem,
  tokenIssuer,
  type BoundObjects,
} from './serviceaccount.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function world() {
  const sas = new Map<string, ServiceAccount>([['default/bot', { metadata: { name: 'bot', namespace: 'default', uid: 'sa-uid' } }]]);
  const pods = new Map<string, Pod>([
    ['default/web', { metadata: { name: 'web', namespace: 'default', uid: 'pod-uid' }, spec: { serviceAccountName: 'bot', nodeName: 'n1', containers: [] } }],
  ]);
  const secrets = new Map<string, Secret>([['default/s', { metadata: { name: 's', namespace: 'default', uid: 'secret-uid' } }]]);
  const objects: BoundObjects = {
    serviceAccount: (ns, n) => sas.get(`${ns}/${n}`),
    pod: (ns, n) => pods.get(`${ns}/${n}`),
    secret: (ns, n) => secrets.get(`${ns}/${n}`),
    node: (n) => (n === 'n1' ? { metadata: { name: 'n1', uid: 'node-uid' } } : undefined),
  };
  let now = T0;
  const key = signingKeyFromPem(generateSigningKeyPem());
  const issuer = tokenIssuer({ key, issuer: defaultIssuer, audiences: [defaultIssuer], objects, now: () => now, jti: () => 'the-jti' });
  const authn = serviceAccountTokenAuthenticator({ publicKey: key.publicKey, issuer: defaultIssuer, audiences: [defaultIssuer], objects, now: () => now });
  return { sas, pods, secrets, objects, key, issuer, authn, advance: (ms: number) => (now += ms) };
}

const podRef = { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' };

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected an ApiError');
}

describe('TokenRequest', () => {
  it('issues a pod-bound JWT with the claims kube-apiserver issues', async () => {
    const w = world();
    const out = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], expirationSeconds: 600, boundObjectRef: podRef } });
    assert.equal(out.status?.expirationTimestamp, '2026-01-01T00:10:00Z');
    assert.equal(out.metadata?.name, 'bot');
    assert.deepEqual(out.spec.audiences, [defaultIssuer]);
    const token = out.status!.token;
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: w.key.keyId });
    const now = T0 / 1000;
    assert.deepEqual(decodeJwt(token), {
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:default:bot',
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: now + 600,
      iat: now,
      nbf: now,
      jti: 'the-jti',
      'kubernetes.io': {
        namespace: 'default',
        serviceaccount: { name: 'bot', uid: 'sa-uid' },
        pod: { name: 'web', uid: 'pod-uid' },
        node: { name: 'n1', uid: 'node-uid' },
      },
    });
  });

  it('extends a 3607 s pod token to a year with warnafter, reporting the requested expiry', async () => {
    const w = world();
    const out = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: podRef } });
    assert.equal(out.status?.expirationTimestamp, '2026-01-01T01:00:07Z');
    const c = decodeJwt(out.status!.token);
    assert.equal(c.exp, T0 / 1000 + 365 * 86400);
    assert.equal((c['kubernetes.io'] as { warnafter: number }).warnafter, T0 / 1000 + 3607);
  });

  it('defaults the expiry to 3600 s and refuses less than 10 minutes with the upstream text', async () => {
    const w = world();
    const out = await w.issuer.createToken('default', 'bot', { spec: { audiences: ['vault'] } });
    assert.equal(out.spec.expirationSeconds, 3600);
    assert.deepEqual(out.spec.audiences, ['vault']);
    const err = await apiError(w.issuer.createToken('default', 'bot', { spec: { audiences: [], expirationSeconds: 60 } }));
    assert.equal(err.code, 422);
    assert.equal(err.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  });

  it('refuses a missing ServiceAccount, a pod of another ServiceAccount, a stale uid and other kinds', async () => {
    const w = world();
    assert.equal((await apiError(w.issuer.createToken('default', 'nobody', { spec: { audiences: [] } }))).message, 'serviceaccounts "nobody" not found');
    w.sas.set('default/other', { metadata: { name: 'other', namespace: 'default', uid: 'o' } });
    assert.equal(
      (await apiError(w.issuer.createToken('default', 'other', { spec: { audiences: [], boundObjectRef: podRef } }))).message,
      'cannot bind token for serviceaccount "other" to pod running with serviceaccount "bot"',
    );
    const stale = await apiError(w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: { ...podRef, uid: 'old' } } }));
    assert.equal(stale.code, 409);
    assert.equal(
      stale.message,
      'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated',
    );
    assert.equal(
      (await apiError(w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } } }))).message,
      'cannot bind token to object of type apps/v1, Kind=Deployment',
    );
  });
});

describe('node-bound tokens', () => {
  it('bind a token to a Node, valid while the node exists with its uid', async () => {
    const w = world();
    let node: { metadata: { name: string; uid: string } } | undefined = { metadata: { name: 'n1', uid: 'node-uid' } };
    w.objects.node = () => node;
    const out = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } } });
    assert.deepEqual(decodeJwt(out.status!.token)['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'bot', uid: 'sa-uid' }, node: { name: 'n1', uid: 'node-uid' } });
    assert.equal((await w.authn.authenticateToken(out.status!.token)).ok, true);
    node = { metadata: { name: 'n1', uid: 'other' } };
    assert.equal((await w.authn.authenticateToken(out.status!.token)).ok, false);
    node = undefined;
    assert.equal((await apiError(w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } } }))).message, 'nodes "n1" not found');
  });
});

describe('ServiceAccount token authenticator', () => {
  it('authenticates a pod-bound token as the ServiceAccount with the pod and credential extra', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: podRef } });
    const r = await w.authn.authenticateToken(status!.token);
    assert.deepEqual(r, {
      ok: true,
      response: {
        audiences: [defaultIssuer],
        user: {
          username: 'system:serviceaccount:default:bot',
          uid: 'sa-uid',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
          extra: {
            'authentication.kubernetes.io/pod-name': ['web'],
            'authentication.kubernetes.io/pod-uid': ['pod-uid'],
            'authentication.kubernetes.io/credential-id': ['JTI=the-jti'],
            'authentication.kubernetes.io/node-name': ['n1'],
            'authentication.kubernetes.io/node-uid': ['node-uid'],
          },
        },
      },
    });
  });

  it('rejects the token once its pod is deleted or replaced, or its ServiceAccount is gone', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: podRef } });
    const pod = w.pods.get('default/web')!;
    w.pods.set('default/web', { ...pod, metadata: { ...pod.metadata, uid: 'new-uid' } });
    assert.deepEqual(await w.authn.authenticateToken(status!.token), { ok: false, error: 'service account token has been invalidated' });
    w.pods.delete('default/web');
    assert.equal((await w.authn.authenticateToken(status!.token)).ok, false);
    const plain = await w.issuer.createToken('default', 'bot', { spec: { audiences: [] } });
    assert.equal((await w.authn.authenticateToken(plain.status!.token)).ok, true);
    w.sas.delete('default/bot');
    assert.equal((await w.authn.authenticateToken(plain.status!.token)).ok, false);
  });

  it('keeps a gracefully deleting pod\'s token valid for a minute of leeway', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], boundObjectRef: podRef } });
    const pod = w.pods.get('default/web')!;
    w.pods.set('default/web', { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    assert.equal((await w.authn.authenticateToken(status!.token)).ok, true);
    w.advance(61_000);
    assert.equal((await w.authn.authenticateToken(status!.token)).ok, false);
  });

  it('rejects an expired token (after the leeway) and one not yet valid', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: [], expirationSeconds: 600 } });
    w.advance(600_000 + 59_000);
    assert.equal((await w.authn.authenticateToken(status!.token)).ok, true);
    w.advance(2_000);
    assert.deepEqual(await w.authn.authenticateToken(status!.token), { ok: false, error: 'service account token has expired' });
    const w2 = world();
    w2.advance(120_000);
    const later = await w2.issuer.createToken('default', 'bot', { spec: { audiences: [] } });
    w2.advance(-240_000);
    assert.deepEqual(await w2.authn.authenticateToken(later.status!.token), { ok: false, error: 'service account token is not valid yet' });
  });

  it('rejects a token for another audience unless the caller accepts it', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: ['vault'] } });
    assert.deepEqual(await w.authn.authenticateToken(status!.token), {
      ok: false,
      error: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
    });
    const r = await w.authn.authenticateToken(status!.token, ['vault']);
    assert.equal(r.ok && r.response.audiences[0], 'vault');
  });

  it('rejects forged, wrong-key and alg none tokens, and ignores tokens that are not its JWTs', async () => {
    const w = world();
    const { status } = await w.issuer.createToken('default', 'bot', { spec: { audiences: [] } });
    const [h, p, s] = status!.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.sub = 'system:serviceaccount:kube-system:admin';
    claims['kubernetes.io'].serviceaccount.name = 'admin';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    assert.deepEqual(await w.authn.authenticateToken(forged), { ok: false, error: 'invalid signature' });

    const other = world();
    const foreign = await other.issuer.createToken('default', 'bot', { spec: { audiences: [] } });
    assert.equal((await w.authn.authenticateToken(foreign.status!.token)).ok, false);

    const none = new UnsecuredJWT(decodeJwt(status!.token)).encode();
    assert.deepEqual(await w.authn.authenticateToken(none), { ok: false, error: 'invalid signature' });
    const noneWithSignature = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.${s}`;
    assert.equal((await w.authn.authenticateToken(noneWithSignature)).ok, false);

    assert.deepEqual(await w.authn.authenticateToken('0123456789abcdef'), { ok: false });
  });
});
