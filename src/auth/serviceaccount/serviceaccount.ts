/**
 * auth/serviceaccount — ServiceAccount tokens: issued by the TokenRequest
 * API (token-request.ts) and accepted by the API server's authentication
 * chain (authenticator.ts), as kube-apiserver's `pkg/serviceaccount`.
 *
 * Owns: the signing key (`<data-dir>/pki/sa.key`, ES256, signing-key.ts),
 * the claims kube-apiserver issues (claims.ts: iss, sub, aud, exp, iat, nbf,
 * jti and the `kubernetes.io` bindings), signing and verification — both
 * jose's, with an ES256-only allowlist — and the bound-object checks that
 * make a deleted pod's token useless.
 * Does not own: where a token is mounted (the admission plugin in
 * api/core/serviceaccount, the kubelet's projected volumes), nor the chain
 * of authenticators (auth/authenticator.ts).
 *
 * Plugging into the chain: `serviceAccountTokenAuthenticator(...)` returns
 * `{ authenticateToken(token, audiences?) }` answering a Promise of the
 * chain's TokenResult shape (verification is asynchronous in jose).
 *
 * State: the key on disk. No loops, no timers; nothing here logs a token.
 */
import type { Registry } from '../../registry/registry.ts';
import type { Node, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { BoundObjects } from './authenticator.ts';

export { defaultIssuer, serviceAccountUser, tokenClaims, warnOnlyBoundTokenExpirationSeconds, expirationExtensionSeconds } from './claims.ts';
export type { KubernetesClaim, TokenClaims } from './claims.ts';
export { boundObjectsValid, serviceAccountTokenAuthenticator } from './authenticator.ts';
export type { BoundObjects, ServiceAccountTokenAuthenticator, ServiceAccountTokenResult } from './authenticator.ts';
export { signToken, signingAlgorithm } from './issuer.ts';
export { generateSigningKeyPem, keyIdOf, loadOrCreateSigningKey, signingKeyFromPem, type SigningKey } from './signing-key.ts';
export { defaultTokenExpirationSeconds, tokenIssuer, type TokenIssuer, type TokenIssuerOptions } from './token-request.ts';

/** The objects a token names, read from the registry as they are now. */
export function registryBoundObjects(registry: Registry): BoundObjects {
  return {
    serviceAccount: (ns, name) => registry.resource('', 'v1', 'serviceaccounts')?.find(ns, name) as ServiceAccount | undefined,
    pod: (ns, name) => registry.pods.find(ns, name),
    secret: (ns, name) => registry.secrets.find(ns, name),
    node: (name) => registry.nodes.find(undefined, name) as Node | undefined,
  };
}
