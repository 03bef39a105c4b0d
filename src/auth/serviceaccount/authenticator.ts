/**
 * The ServiceAccount token authenticator (kube-apiserver's
 * `pkg/serviceaccount/jwt.go` with the bound-token validator of
 * `claims.go`): a bearer token is a ServiceAccount's when jose verifies it
 * with berth's public key under the ES256 allowlist (`alg: none` and every
 * other algorithm refused), for berth's issuer and an audience the API
 * server accepts, within exp/nbf (one minute of leeway, as go-jose); and
 * the objects it names still exist with the same uids: the ServiceAccount,
 * and the pod, secret or node it is bound to (one deleted, or deleting for
 * more than a minute, invalidates the token).
 *
 * A token that is not a JWT of berth's issuer is not this authenticator's:
 * `{ ok: false }` without an error, so the chain tries the next. The caller
 * answers 401 to any refusal. Nothing here logs a token.
 */
import type { KeyObject } from 'jose';
import { decodeJwt } from 'jose/jwt/decode';
import { jwtVerify } from 'jose/jwt/verify';
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { UserInfo } from '../user-info.ts';
import { serviceAccountUser, type KubernetesClaim } from './claims.ts';
import { signingAlgorithm } from './issuer.ts';

/** The objects a bound token names, as the registry has them now. */
export interface BoundObjects {
  serviceAccount(namespace: string, name: string): ServiceAccount | undefined;
  pod(namespace: string, name: string): Pod | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  node(name: string): Node | undefined;
}

export interface ServiceAccountAuthenticatorOptions {
  publicKey: KeyObject;
  issuer: string;
  /** The API server's audiences (`--api-audiences`, default the issuer). */
  audiences: string[];
  objects: BoundObjects;
  now?: () => number;
}

/** go-jose's DefaultLeeway, which kube-apiserver validates with. */
const leewaySeconds = 60;

/**
 * What the authenticator says of a token, in the shape of the API server's
 * chain (src/auth/authenticator.ts TokenResult): a user with the audiences
 * it is valid for, or a refusal; `error` (never the token) only for a token
 * of this issuer that failed.
 */
export type ServiceAccountTokenResult =
  | { ok: true; response: { user: UserInfo; audiences: string[] } }
  | { ok: false; error?: string };

export interface ServiceAccountTokenAuthenticator {
  /** `audiences`: those the caller accepts (TokenReview's spec.audiences); undefined means the API server's own. */
  authenticateToken(token: string, audiences?: readonly string[]): Promise<ServiceAccountTokenResult>;
}

const invalidated = { ok: false as const, error: 'service account token has been invalidated' };

export function serviceAccountTokenAuthenticator(opts: ServiceAccountAuthenticatorOptions): ServiceAccountTokenAuthenticator {
  const now = opts.now ?? Date.now;
  return {
    async authenticateToken(token, audiences) {
      // Not a JWT of this issuer: not ours to judge (kube-apiserver's hasCorrectIssuer).
      let unverified;
      try {
        unverified = decodeJwt(token);
      } catch {
        return { ok: false };
      }
      if (unverified.iss !== opts.issuer) return { ok: false };
      let payload;
      try {
        ({ payload } = await jwtVerify(token, opts.publicKey, {
          algorithms: [signingAlgorithm],
          issuer: opts.issuer,
          clockTolerance: leewaySeconds,
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') return { ok: false, error: 'service account token has expired' };
        if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (err as { claim?: string }).claim === 'nbf') {
          return { ok: false, error: 'service account token is not valid yet' };
        }
        return { ok: false, error: 'invalid signature' };
      }
      const wanted = audiences ?? opts.audiences;
      const tokenAuds = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
      const auds = tokenAuds.filter((a) => wanted.includes(a));
      if (auds.length === 0) {
        return { ok: false, error: `token audiences ${goQuoteList(tokenAuds)} is invalid for the target audiences ${goQuoteList(wanted)}` };
      }
      const k = payload['kubernetes.io'] as KubernetesClaim | undefined;
      if (!k || typeof k !== 'object' || typeof k.namespace !== 'string' || !k.serviceaccount?.name) {
        return { ok: false, error: 'service account token claims could not be validated' };
      }
      if (!boundObjectsValid(k, opts.objects, now())) return invalidated;
      return { ok: true, response: { user: serviceAccountUser(k, typeof payload.jti === 'string' ? payload.jti : undefined), audiences: auds } };
    },
  };
}

/** Go's %q of a []string: `["a" "b"]`. */
function goQuoteList(xs: readonly string[]): string {
  return `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
}

/** Whether every object the claim names exists with its uid and is not long gone (`validator.Validate`). */
export function boundObjectsValid(k: KubernetesClaim, objects: BoundObjects, now: number): boolean {
  const invalidIfDeletedBefore = now - leewaySeconds * 1000;
  const alive = (o: { metadata?: { uid?: string; deletionTimestamp?: string } } | undefined, uid: string): boolean => {
    if (!o || o.metadata?.uid !== uid) return false;
    const del = o.metadata?.deletionTimestamp;
    return !del || Date.parse(del) >= invalidIfDeletedBefore;
  };
  if (!alive(objects.serviceAccount(k.namespace, k.serviceaccount.name), k.serviceaccount.uid)) return false;
  if (k.pod && !alive(objects.pod(k.namespace, k.pod.name), k.pod.uid)) return false;
  if (k.secret && !alive(objects.secret(k.namespace, k.secret.name), k.secret.uid)) return false;
  // A pod's node is informational; a token bound to the node itself lives only as long as the node.
  if (k.node && !k.pod && !alive(objects.node(k.node.name), k.node.uid)) return false;
  return true;
}
